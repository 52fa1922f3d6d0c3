<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PassphraseRules</name>
    <message>
        <location filename="../base/passphrase_rules.cpp" line="+93"/>
        <source>too short</source>
        <translation>太短</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At least %1 characters; a few unrelated words are easy to remember.</source>
        <translation>至少 %1 个字符；几个互不相关的词语容易记住。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Easy to guess: use unrelated words, or more kinds of characters.</source>
        <translation>容易被猜出：请使用互不相关的词语，或更多种类的字符。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Longer, or with digits and symbols, is safer.</source>
        <translation>更长一些，或加入数字和符号，会更安全。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A few more characters make it much harder to guess.</source>
        <translation>再多几个字符就会难猜得多。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>good</source>
        <translation>良好</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hard to guess. Keep it somewhere safe: nobody can recover it.</source>
        <translation>难以猜出。请妥善保管：没有人能帮你找回。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>strong</source>
        <translation>强</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Very hard to guess. Keep it somewhere safe: nobody can recover it.</source>
        <translation>极难猜出。请妥善保管：没有人能帮你找回。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>choose a passphrase: it protects the key on disk</source>
        <translation>请设置密码：它保护磁盘上的私钥</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a passphrase needs at least %1 characters (this one has %2): it is all that protects the key when the keystore file is copied</source>
        <translation>密码至少需要 %1 个字符（当前为 %2 个）：密钥库文件被复制时，只有它能保护私钥</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>a passphrase of one or two characters repeated is guessed at once</source>
        <translation>由一两个字符重复组成的密码会被立即猜出</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>that passphrase is among the first ones guessed; choose another</source>
        <translation>这个密码属于最先被尝试的一批；请换一个</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../base/file_list_model.cpp" line="+10"/>
        <source>Skip</source>
        <translation>不下载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::AddTorrentDialog</name>
    <message>
        <location filename="../gui/add_torrent_dialog.cpp" line="+47"/>
        <source>Add torrent</source>
        <translation>添加种子</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Start paused</source>
        <translation>添加后暂停</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Play while downloading</source>
        <translation>边下边播</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opens the player as soon as the first pieces arrive. With a paid lane, speed is bought only while the player&apos;s buffer is short.</source>
        <translation>收到最初的分块后立即打开播放器。使用付费通道时，只在播放器缓冲不足时才购买速度。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Fetching metadata from the peers…</source>
        <translation>正在从用户处获取元数据…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The file list arrives with the metadata from the first peers.</source>
        <translation>文件列表会随最先连上的用户发来的元数据一起到达。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Fetching metadata… the files, the size and each lane&apos;s price show when the first peer sends it. You can add it now.</source>
        <translation>正在获取元数据… 第一个用户发来元数据后，会显示文件、大小和各通道的价格。现在就可以添加。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Magnet link: size unknown (%1).</source>
        <translation>磁力链接：大小未知（%1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Magnet link: size unknown until the metadata arrives.</source>
        <translation>磁力链接：收到元数据之前大小未知。</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%1 of %2 selected, %n file(s)</source>
        <translation>
            <numerusform>已选 %1 / %2，%n 个文件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::Application</name>
    <message>
        <location filename="../app/application.cpp" line="+90"/>
        <source>Download finished</source>
        <translation>下载完成</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Payment settled</source>
        <translation>付款已结算</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>A second launch cannot pass links to this window (%1). Add them here instead; restarting LaneTorrent may fix it.</source>
        <translation>再次启动的程序无法把链接传给此窗口（%1）。请直接在这里添加；重启 LaneTorrent 可能解决此问题。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>LaneTorrent</source>
        <translation>LaneTorrent</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Download held in the slow lane</source>
        <translation>下载停留在慢速通道</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>System keyring</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>LaneTorrent keeps running</source>
        <translation>LaneTorrent 仍在运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It goes on seeding in the tray. Use Quit in the tray menu to stop it.</source>
        <translation>它会在系统托盘中继续做种。要停止，请使用托盘菜单中的“退出”。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Quit LaneTorrent</source>
        <translation>退出 LaneTorrent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloads are in progress. They continue where they stopped the next time LaneTorrent starts. Quit now?</source>
        <translation>仍有下载正在进行。下次启动 LaneTorrent 时会从中断处继续。现在退出吗？</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::DetailsPane</name>
    <message>
        <location filename="../gui/details_pane.cpp" line="+78"/>
        <source>Peers</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tracker</source>
        <translation>Tracker</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+180"/>
        <source>Reannounce</source>
        <translation>重新汇报</translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Ask the selected trackers (or all) for peers now</source>
        <translation>立即向选中的（或全部）Tracker 请求用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+178"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="-158"/>
        <source>Trackers</source>
        <translation>Tracker</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Earned</source>
        <translation>收入</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Spent</source>
        <translation>花费</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Earnings</source>
        <translation>收益</translation>
    </message>
    <message>
        <location line="+66"/>
        <location line="+23"/>
        <location line="+18"/>
        <source>select a torrent first</source>
        <translation>请先选择一个种子</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>enter a tracker URL, one per line</source>
        <translation>请输入 Tracker 地址，每行一个</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>select a tracker first</source>
        <translation>请先选择一个 Tracker</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>select the trackers to remove</source>
        <translation>请选择要删除的 Tracker</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Add trackers</source>
        <translation>添加 Tracker</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tracker URLs, one per line:</source>
        <translation>Tracker 地址，每行一个：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Edit tracker</source>
        <translation>编辑 Tracker</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tracker URL:</source>
        <translation>Tracker 地址：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Reannounce to all</source>
        <translation>向全部重新汇报</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add trackers…</source>
        <translation>添加 Tracker…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit URL…</source>
        <translation>编辑地址…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy URL</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Last %1 days: earned %2, spent %3.</source>
        <translation>最近 %1 天：收入 %2，花费 %3。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>File priority</source>
        <translation>文件优先级</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::EarningsChart</name>
    <message>
        <location filename="../gui/earnings_chart.cpp" line="+27"/>
        <source>MMM d</source>
        <extracomment>The day under each bar, a QDate format: &quot;MMM d&quot; is &quot;Dec 3&quot;; a language without short month names writes the month as a number (&quot;M月d日&quot;).</extracomment>
        <translation>M月d日</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Earned and spent per day</source>
        <translation>每日收入与花费</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Earned</source>
        <translation>收入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spent</source>
        <translation>花费</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::FileListModel</name>
    <message>
        <location filename="../base/file_list_model.cpp" line="+49"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::KeystoreDialog</name>
    <message>
        <location filename="../gui/keystore_dialog.cpp" line="+66"/>
        <source>Create wallet</source>
        <translation>创建钱包</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new key is generated and stored encrypted in this profile. Without the passphrase nobody, not even you, can spend from it.</source>
        <translation>将生成一把新私钥，加密保存在此配置中。没有密码，任何人（包括你自己）都无法动用其中的资金。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import private key</source>
        <translation>导入私钥</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paste the 64 hex digits of an existing Tron private key. It is stored encrypted under the passphrase you choose.</source>
        <translation>粘贴现有 Tron 私钥的 64 位十六进制字符。它会用你设置的密码加密保存。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Private key:</source>
        <translation>私钥：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unlock wallet</source>
        <translation>解锁钱包</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlocking lets downloads pay for medium and fast lanes.</source>
        <translation>解锁后，下载才能为中速和快速通道付费。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Passphrase:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Repeat passphrase:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remember the passphrase in the system keyring, so paid lanes keep working after a restart</source>
        <translation>在系统密钥环中记住密码，重启后付费通道仍可继续使用</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stored by the desktop&apos;s Secret Service (GNOME Keyring, KWallet), unlocked with your login. Untick to forget a remembered passphrase.</source>
        <translation>由桌面的密钥服务（GNOME Keyring、KWallet）保存，登录时随之解锁。取消勾选即可忘记已记住的密码。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>At least %1 characters. A few unrelated words are strong and easy to remember.</source>
        <translation>至少 %1 个字符。几个互不相关的词语既安全又容易记住。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Strength: %1. %2</source>
        <translation>强度：%1。%2</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Choose a longer passphrase: %1.</source>
        <translation>请设置更长的密码：%1。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passphrases differ. Type the same passphrase in both fields.</source>
        <translation>两次输入的密码不一致。请在两个输入框中输入相同的密码。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The wallet was not created: %1</source>
        <translation>钱包未创建：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The key was not imported: %1</source>
        <translation>私钥未导入：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The wallet did not unlock: %1</source>
        <translation>钱包未解锁：%1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Back up the new wallet</source>
        <translation>备份新钱包</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your wallet %1 is ready. Save a copy of its keystore file somewhere else now (a USB stick, another disk, your password manager): if this disk fails or the profile is deleted, the copy and your passphrase are the only way back to its BTT and TRX. The copy is encrypted with your passphrase.</source>
        <translation>你的钱包 %1 已就绪。请立即把它的密钥库文件另存一份到别处（U 盘、另一块硬盘或你的密码管理器）：一旦这块硬盘损坏或配置被删除，只有这份副本加上你的密码才能找回其中的 BTT 和 TRX。副本已用你的密码加密。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save a copy…</source>
        <translation>另存副本…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Skip backup</source>
        <translation>跳过备份</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Save a copy of the keystore</source>
        <translation>另存密钥库文件副本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keystore (*.json)</source>
        <translation>密钥库文件 (*.json)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The copy was not saved: %1. Try another place.</source>
        <translation>副本未能保存：%1。请换个位置再试。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved to %1, and checked: the copy unlocks with your passphrase and holds this wallet&apos;s key. Keep it away from this computer.</source>
        <translation>已保存到 %1 并通过校验：副本能用你的密码解锁，且包含此钱包的私钥。请把它存放在这台电脑之外。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Skip the backup?</source>
        <translation>跳过备份？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Without a copy of the keystore, a failed disk or a deleted profile loses this wallet and everything in it for good. You can still copy %1 later. Skip the backup?</source>
        <translation>没有密钥库文件的副本，一旦硬盘损坏或配置被删除，这个钱包及其中的一切将永久丢失。你之后仍可以复制 %1。确定跳过备份吗？</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::LanePicker</name>
    <message>
        <location filename="../gui/lane_picker.cpp" line="+37"/>
        <source>Slow</source>
        <translation>慢速</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Medium</source>
        <translation>中速</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Lane</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Spending caps</source>
        <translation>花费上限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never pay</source>
        <translation>从不付费</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>no cap</source>
        <translation>不设上限</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Max price per GiB:</source>
        <translation>每 GiB 最高价格：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max per torrent:</source>
        <translation>每个种子上限：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max per day (all torrents):</source>
        <translation>每日上限（所有种子）：</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Slow — free</source>
        <translation>慢速 — 免费</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1/GiB</source>
        <translation>%1/GiB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — about %2 (%3)</source>
        <translation>%1 — 约 %2（%3）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Above your max price per GiB: no seller would be paid.</source>
        <translation>高于你设置的每 GiB 最高价格：不会向任何卖方付费。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Costs more than your per-torrent cap: %1 until %2 is spent, then slow.</source>
        <translation>费用超过单个种子上限：先以%1下载，直到花费 %2，之后转为慢速。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Costs more than your daily cap allows in one day.</source>
        <translation>费用超过每日上限，一天内无法全部支付。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Prices offered by the connected seeders.</source>
        <translation>已连接的做种者报出的价格。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Typical prices; seeders set their own once connected.</source>
        <translation>参考价格；连接后以做种者自己的报价为准。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wallet locked — paid lanes need an unlocked wallet.</source>
        <translation>钱包已锁定 — 付费通道需要先解锁钱包。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Balance: %1.</source>
        <translation>余额：%1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wallet balance: not known yet.</source>
        <translation>钱包余额：暂未获取。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wallet balance: %1.</source>
        <translation>钱包余额：%1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not enough for the whole torrent.</source>
        <translation>余额不足以支付整个种子。</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::MainWindow</name>
    <message>
        <location filename="../gui/main_window.cpp" line="+70"/>
        <source>Torrents</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wallet</source>
        <translation>钱包</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Add torrent &amp;file…</source>
        <translation>添加种子文件(&amp;F)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add &amp;magnet link…</source>
        <translation>添加磁力链接(&amp;M)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;move…</source>
        <translation>删除(&amp;M)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;folder</source>
        <translation>打开所在文件夹(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pla&amp;y</source>
        <translation>播放(&amp;Y)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Watch while it downloads</source>
        <translation>边下载边观看</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Limit speed…</source>
        <translation>限速(&amp;L)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mo&amp;ve to…</source>
        <translation>移动到(&amp;V)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Lane</source>
        <translation>通道(&amp;L)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Slow (free)</source>
        <translation>慢速（免费）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>中速</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Torrent</source>
        <translation>种子(&amp;T)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Torrents</source>
        <translation>种子(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Wallet</source>
        <translation>钱包(&amp;W)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Alternative speed limits</source>
        <translation>备用限速(&amp;A)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Too&amp;ls</source>
        <translation>工具(&amp;L)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seeding</source>
        <translation>做种中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors</source>
        <translation>出错</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Filter by name (Ctrl+F)</source>
        <translation>按名称筛选 (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>↓ %1   ↑ %2</source>
        <translation>↓ %1   ↑ %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Promised today: %1 · earned on chain: %2</source>
        <translation>今日承诺：%1 · 链上已到账：%2</translation>
    </message>
    <message>
        <location line="+46"/>
        <location line="+13"/>
        <source>Cannot add torrent</source>
        <translation>无法添加种子</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Limit speed</source>
        <translation>限速</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> KiB/s</source>
        <translation> KiB/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No limit</source>
        <translation>不限速</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Download:</source>
        <translation>下载(&amp;D)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Upload:</source>
        <translation>上传(&amp;U)：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot limit the speed</source>
        <translation>无法设置限速</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Move the files to</source>
        <translation>把文件移动到</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot move the files</source>
        <translation>无法移动文件</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+36"/>
        <source>Cannot play</source>
        <translation>无法播放</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 (auto: %2)</source>
        <translation>%1（自动：%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (auto)</source>
        <translation>%1（自动）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add torrent files</source>
        <translation>添加种子文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Torrent files (*.torrent);;All files (*)</source>
        <translation>种子文件 (*.torrent);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add magnet link</source>
        <translation>添加磁力链接</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Magnet link:</source>
        <translation>磁力链接：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Remove torrents</source>
        <translation>删除种子</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove &quot;%1&quot; from the list?</source>
        <translation>要从列表中删除“%1”吗？</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Remove %n torrent(s) from the list?</source>
        <translation>
            <numerusform>要从列表中删除 %n 个种子吗？</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Also delete the downloaded files</source>
        <translation>同时删除已下载的文件</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::MediaPlayer</name>
    <message>
        <location filename="../base/media_player.cpp" line="+122"/>
        <source>The video player (libmpv) could not start.</source>
        <translation>视频播放器（libmpv）无法启动。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The video player (libmpv) could not start: %1.</source>
        <translation>视频播放器（libmpv）无法启动：%1。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The video player could not create its software renderer: %1.</source>
        <translation>视频播放器无法创建软件渲染器：%1。</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>There is no stream to play.</source>
        <translation>没有可播放的流。</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+112"/>
        <source>The player could not open %1: %2.</source>
        <translation>播放器无法打开 %1：%2。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The player could not play %1: %2.</source>
        <translation>播放器无法播放 %1：%2。</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::NodeSettingsWidget</name>
    <message>
        <location filename="../gui/node_settings_widget.cpp" line="+31"/>
        <source>Local devnet (lanetorrent-devnet)</source>
        <translation>本地开发网（lanetorrent-devnet）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nile testnet</source>
        <translation>Nile 测试网</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shasta testnet</source>
        <translation>Shasta 测试网</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mainnet (TronGrid)</source>
        <translation>主网（TronGrid）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network:</source>
        <translation>网络：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Full node (gRPC):</source>
        <translation>全节点 (gRPC)：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Solidity node (gRPC):</source>
        <translation>固化节点 (gRPC)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use TLS (third-party providers; TronGrid and java-tron are plain)</source>
        <translation>使用 TLS（第三方服务商需要；TronGrid 和 java-tron 不加密）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>TRON-PRO-API-KEY, if the node asks for one</source>
        <translation>TRON-PRO-API-KEY，节点要求时填写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::PaidLaneWatch</name>
    <message>
        <location filename="../base/paid_lane_watch.cpp" line="+36"/>
        <source>It stays in the slow lane: there is no wallet to pay from. Create or import one on the Wallet tab.</source>
        <translation>它停留在慢速通道：没有可付款的钱包。请在“钱包”页创建或导入一个。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It stays in the slow lane until the wallet is unlocked.</source>
        <translation>钱包解锁前，它停留在慢速通道。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It stays in the slow lane: the wallet has no BTT to pay with.</source>
        <translation>它停留在慢速通道：钱包里没有可付款的 BTT。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The wallet has too little TRX for the network fees: payments fail once the free bandwidth is used, and the download drops to the slow lane.</source>
        <translation>钱包中的 TRX 不足以支付网络手续费：免费带宽用完后付款将失败，下载会降到慢速通道。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>“%1” is set to the %2 lane, which needs an unlocked wallet to pay; until then it downloads in the slow lane.</source>
        <translation>“%1”设为%2通道，需要解锁钱包才能付款；在此之前它以慢速通道下载。</translation>
    </message>
    <message numerus="yes">
        <location line="+46"/>
        <source>%n download(s) set to a paid lane wait in the slow lane until the wallet is unlocked.</source>
        <translation>
            <numerusform>%n 个设为付费通道的下载将在慢速通道等待，直到钱包解锁。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::PassphraseKeeper</name>
    <message>
        <location filename="../base/keyring.cpp" line="+23"/>
        <source>the system keyring has no passphrase for this wallet</source>
        <translation>系统密钥环中没有此钱包的密码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the system keyring refused access (%1)</source>
        <translation>系统密钥环拒绝访问（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no system keyring is available (%1); a Secret Service such as GNOME Keyring or KWallet must be running</source>
        <translation>没有可用的系统密钥环（%1）；需要运行 GNOME Keyring 或 KWallet 等密钥服务</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the system keyring failed (%1)</source>
        <translation>系统密钥环出错（%1）</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>the system keyring did not answer within %1 s</source>
        <translation>系统密钥环在 %1 秒内没有响应</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There is no wallet to unlock yet.</source>
        <translation>还没有可解锁的钱包。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The passphrase could not be read: %1.</source>
        <translation>无法读取密码：%1。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The passphrase in the system keyring does not unlock this wallet (%1).</source>
        <translation>系统密钥环中的密码无法解锁此钱包（%1）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wallet unlocked with the passphrase in the system keyring.</source>
        <translation>已用系统密钥环中的密码解锁钱包。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The passphrase was not remembered: %1. LaneTorrent asks for it after each restart.</source>
        <translation>未能记住密码：%1。每次重启后 LaneTorrent 都会询问密码。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The passphrase is in the system keyring: paid lanes work after a restart without asking.</source>
        <translation>密码已保存在系统密钥环中：重启后付费通道无需询问即可使用。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>LaneTorrent no longer reads the passphrase at start, but the keyring could not delete it: %1.</source>
        <translation>LaneTorrent 启动时不再读取密码，但密钥环未能删除它：%1。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The passphrase is no longer in the system keyring.</source>
        <translation>密码已从系统密钥环中删除。</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::PeerListModel</name>
    <message>
        <location filename="../base/peer_list_model.cpp" line="+76"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lane</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Down</source>
        <translation>下载速度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Up</source>
        <translation>上传速度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Owed</source>
        <translation>应付</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paid</source>
        <translation>已付</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::PlayerWindow</name>
    <message>
        <location filename="../gui/player_window.cpp" line="+225"/>
        <location line="+99"/>
        <source>LaneTorrent player</source>
        <translation>LaneTorrent 播放器</translation>
    </message>
    <message>
        <location line="-75"/>
        <location line="+147"/>
        <source>Play (Space)</source>
        <translation>播放（空格）</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>Mute (M)</source>
        <translation>静音 (M)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full screen (F)</source>
        <translation>全屏 (F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+110"/>
        <location line="+8"/>
        <source>Open in external player</source>
        <translation>用外部播放器打开</translation>
    </message>
    <message>
        <location line="-115"/>
        <source>Hand this stream to mpv, VLC or the desktop&apos;s default player</source>
        <translation>把这个流交给 mpv、VLC 或桌面默认播放器</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>%1 — LaneTorrent player</source>
        <translation>%1 — LaneTorrent 播放器</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lane: %1</source>
        <translation>通道：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This stream has cost %1 so far</source>
        <translation>此流目前已花费 %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>There is no stream to hand over.</source>
        <translation>没有可以转交的流。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No external player was found. Install mpv or VLC, or open this address in one:
%1</source>
        <translation>未找到外部播放器。请安装 mpv 或 VLC，或在播放器中打开此地址：
%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 could not start.</source>
        <translation>%1 无法启动。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Pause (Space)</source>
        <translation>暂停（空格）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Buffering… %1 %</source>
        <translation>正在缓冲… %1 %</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::SeekBar</name>
    <message>
        <location line="-342"/>
        <source>Lighter: downloaded. Click or drag to seek.</source>
        <translation>浅色部分：已下载。单击或拖动以跳转。</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::SendDialog</name>
    <message>
        <location filename="../gui/send_dialog.cpp" line="+27"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>T… (34 characters)</source>
        <translation>T…（34 个字符）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To:</source>
        <translation>收款地址：</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Amount:</source>
        <translation>金额：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fee: free while the account&apos;s daily free bandwidth lasts, otherwise about %1; about %2 if the recipient&apos;s account does not exist yet.</source>
        <translation>手续费：账户每日免费带宽未用完时免费，否则约 %1；如果收款账户尚未激活，约 %2。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Keystore passphrase:</source>
        <translation>密钥库密码：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Review…</source>
        <translation>核对…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+107"/>
        <source>Sign and send</source>
        <translation>签名并发送</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>Not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>✔ valid Tron address</source>
        <translation>✔ 有效的 Tron 地址</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&lt;p&gt;Send &lt;b&gt;%1 %2&lt;/b&gt;&lt;br&gt;to &lt;b&gt;&lt;tt&gt;%3&lt;/tt&gt;&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Check the address: a payment cannot be taken back. The network may burn up to %4 from this wallet&apos;s TRX as the fee.&lt;/p&gt;</source>
        <translation>&lt;p&gt;发送 &lt;b&gt;%1 %2&lt;/b&gt;&lt;br&gt;到 &lt;b&gt;&lt;tt&gt;%3&lt;/tt&gt;&lt;/b&gt;&lt;/p&gt;&lt;p&gt;请核对地址：付款无法撤回。网络可能从此钱包的 TRX 中燃烧最多 %4 作为手续费。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::Session</name>
    <message>
        <location filename="../base/session.cpp" line="+347"/>
        <source>port %1 on %2 cannot be used (%3)</source>
        <translation>%2 上的端口 %1 无法使用（%3）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>cannot listen on %1:%2: %3</source>
        <translation>无法在 %1:%2 上监听：%3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the configured port is taken</source>
        <translation>设置的端口已被占用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Listening on port %1 of %2 for now: %3. The setting stays %4; it is tried again at the next start.</source>
        <translation>暂时在 %2 的端口 %1 上监听：%3。设置仍为 %4，下次启动时会再次尝试。</translation>
    </message>
    <message>
        <location line="+220"/>
        <source>a speed limit is 0 (none) or more</source>
        <translation>限速值须为 0（不限）或更大</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::SettingsDialog</name>
    <message>
        <location filename="../gui/settings_dialog.cpp" line="+39"/>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lanes (selling)</source>
        <translation>通道（出售）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spending</source>
        <translation>支出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tron node</source>
        <translation>Tron 节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desktop</source>
        <translation>桌面</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Sell medium and fast lanes to downloaders</source>
        <translation>向下载者出售中速和快速通道</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Medium price per GiB:</source>
        <translation>中速每 GiB 价格：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast price per GiB:</source>
        <translation>快速每 GiB 价格：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Slow share:</source>
        <translation>慢速份额：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium share:</source>
        <translation>中速份额：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fast share:</source>
        <translation>快速份额：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Shares split your upload budget between the lanes. Selling needs a wallet address to be paid to and takes effect on the next start.</source>
        <translation>份额决定上传带宽在各通道间的分配。出售需要一个收款钱包地址，并在下次启动时生效。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Slow (free)</source>
        <translation>慢速（免费）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>中速</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default lane:</source>
        <translation>默认通道：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never pay</source>
        <translation>从不付费</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>no cap</source>
        <translation>不设上限</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Max price per GiB:</source>
        <translation>每 GiB 最高价格：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max per torrent:</source>
        <translation>每个种子上限：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max per day:</source>
        <translation>每日上限：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A seller asking more than the max price is not paid (you stay in the slow lane). Once a cap is reached the torrent drops to slow; bytes already received are always paid.</source>
        <translation>要价高于最高价格的卖方不会得到付款（你将停留在慢速通道）。达到上限后，种子转为慢速；已收到的数据始终会付款。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Listen on:</source>
        <translation>监听地址：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Upload limit:</source>
        <translation>上传限速：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download limit:</source>
        <translation>下载限速：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alternative upload limit:</source>
        <translation>备用上传限速：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alternative download limit:</source>
        <translation>备用下载限速：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the alternative limits now</source>
        <translation>立即使用备用限速</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use them on a schedule:</source>
        <translation>按计划使用：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>every day</source>
        <translation>每天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on weekdays</source>
        <translation>工作日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at weekends</source>
        <translation>周末</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>DHT (find peers without a tracker)</source>
        <translation>DHT（无需 Tracker 即可发现用户）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peer exchange (PeX)</source>
        <translation>用户交换 (PeX)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local peer discovery</source>
        <translation>本地用户发现</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Map the port on the router (UPnP / NAT-PMP)</source>
        <translation>在路由器上映射端口 (UPnP / NAT-PMP)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Prefer encryption</source>
        <translation>优先加密</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Require encryption</source>
        <translation>强制加密</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable encryption</source>
        <translation>禁用加密</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encryption:</source>
        <translation>加密：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Proxy:</source>
        <translation>代理：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rate limits apply at once; the listen interfaces, discovery, encryption and the proxy on the next start.</source>
        <translation>限速立即生效；监听地址、用户发现、加密和代理在下次启动时生效。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Default save path</source>
        <translation>默认保存路径</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save downloads to:</source>
        <translation>下载保存到：</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Closing or minimising the window keeps the app in the tray</source>
        <translation>关闭或最小化窗口时，程序留在系统托盘中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seed 24/7 (keep earning while the window is closed)</source>
        <translation>全天候做种（窗口关闭后继续赚取收益）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start on login, hidden in the tray</source>
        <translation>登录时启动，隐藏在系统托盘中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add torrents without showing the add dialog</source>
        <translation>添加种子时不显示添加对话框</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Notify when a download finishes or a payment settles</source>
        <translation>下载完成或付款结算时通知</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::StreamService</name>
    <message>
        <location filename="../base/stream_service.cpp" line="+46"/>
        <source>The player&apos;s local server cannot start: %1</source>
        <translation>播放器的本地服务器无法启动：%1</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::TorrentListModel</name>
    <message>
        <location filename="../base/torrent_list_model.cpp" line="+58"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking</source>
        <translation>校验中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fetching metadata</source>
        <translation>获取元数据中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seeding</source>
        <translation>做种中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Slow</source>
        <translation>慢速</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Medium</source>
        <translation>中速</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <location line="+204"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Down</source>
        <translation>下载速度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Up</source>
        <translation>上传速度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lane</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Peers</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Spent</source>
        <translation>花费</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Earned</source>
        <translation>收入</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::TrayIcon</name>
    <message>
        <location filename="../gui/tray_icon.cpp" line="+33"/>
        <location line="+34"/>
        <source>Show window</source>
        <translation>显示窗口</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Pause all</source>
        <translation>全部暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume all</source>
        <translation>全部继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed 24/7</source>
        <translation>全天候做种</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep seeding and earning while the window is closed</source>
        <translation>窗口关闭后继续做种和赚取收益</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open wallet</source>
        <translation>打开钱包</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>1 active torrent</source>
        <translation>1 个活动种子</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 active torrents</source>
        <translation>%1 个活动种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LaneTorrent
Down %1, up %2
%3
Earned today: %4</source>
        <translation>LaneTorrent
下载 %1，上传 %2
%3
今日收入：%4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hide window</source>
        <translation>隐藏窗口</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::WalletHistoryModel</name>
    <message numerus="yes">
        <location filename="../base/wallet_history.cpp" line="+64"/>
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 及另外 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <location line="+62"/>
        <source>token %1</source>
        <translation>代币 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pending</source>
        <translation>待确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>solidified</source>
        <translation>已固化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed (expired)</source>
        <translation>失败（已过期）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lane payment</source>
        <translation>通道付款</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lane earnings</source>
        <translation>通道收入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent</source>
        <translation>转出</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>cannot read the lanes ledger: %1</source>
        <translation>无法读取通道账本：%1</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Torrent</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Peer / recipient</source>
        <translation>用户 / 收款方</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transaction</source>
        <translation>交易</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::WalletPage</name>
    <message>
        <location filename="../gui/wallet_page.cpp" line="+46"/>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>TRX:</source>
        <translation>TRX：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send…</source>
        <translation>转账…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create wallet…</source>
        <translation>创建钱包…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import key…</source>
        <translation>导入私钥…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock…</source>
        <translation>解锁…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the whole history as a CSV file for a spreadsheet</source>
        <translation>把全部历史记录保存为 CSV 文件，供电子表格使用</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Sent %1; waiting for a block.</source>
        <translation>已发送 %1；等待区块确认。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>token %1</source>
        <translation>代币 %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No wallet yet</source>
        <translation>还没有钱包</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Create a wallet, or import a Tron private key, to pay for faster lanes and to be paid for seeding.</source>
        <translation>创建钱包或导入 Tron 私钥，即可为更快的通道付费，并通过做种获得收入。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The wallet is locked: downloads stay in the slow lane until you unlock it.</source>
        <translation>钱包已锁定：解锁之前，下载停留在慢速通道。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>History saved to %1.</source>
        <translation>历史记录已保存到 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>lanetorrent::ui::WalletService</name>
    <message>
        <location filename="../base/wallet_service.cpp" line="+116"/>
        <source>that is not a private key: %1</source>
        <translation>这不是私钥：%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+10"/>
        <location line="+125"/>
        <source>there is no wallet yet: create or import one</source>
        <translation>还没有钱包：请创建或导入一个</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>choose where to save the copy</source>
        <translation>请选择副本的保存位置</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>that is the keystore itself: save the copy somewhere else</source>
        <translation>这就是密钥库文件本身：请把副本保存到别处</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot read the keystore: %1</source>
        <translation>无法读取密钥库文件：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the copy does not unlock: %1</source>
        <translation>副本无法解锁：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the copy holds another key than this wallet</source>
        <translation>副本中的私钥不是这个钱包的</translation>
    </message>
    <message>
        <location line="+100"/>
        <location line="+53"/>
        <source>the amount must be more than zero</source>
        <translation>金额必须大于零</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>choose what to send: TRX or the token</source>
        <translation>请选择要发送的资产：TRX 或代币</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>enter the recipient&apos;s Tron address (T…)</source>
        <translation>请输入收款方的 Tron 地址（T…）</translation>
    </message>
</context>
</TS>
