#include "gui/add_torrent_dialog.hpp"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "base/app_settings.hpp"
#include "base/wallet_service.hpp"
#include "gui/lane_picker.hpp"

namespace lanetorrent::ui {

namespace {

constexpr int file_index_role = Qt::UserRole;

QString data_size(qint64 bytes) {
    return QLocale().formattedDataSize(bytes);
}

}  // namespace

Result<TorrentDescription> AddTorrentDialog::describe_source(QString const& source) {
    return describe_torrent_source(source);
}

AddTorrentDialog::AddTorrentDialog(QString source, TorrentDescription description, Session& session,
                                   WalletService& wallet, AppSettings& settings,
                                   std::optional<lanes::Units> balance, QWidget* parent)
    : QDialog(parent),
      source_(std::move(source)),
      description_(std::move(description)),
      session_(session),
      settings_(settings) {
    setWindowTitle(tr("Add torrent"));
    auto* layout = new QVBoxLayout(this);

    auto* name = new QLabel(QString::fromStdString(description_.name), this);
    name->setObjectName("torrent_name");
    QFont bold = name->font();
    bold.setBold(true);
    name->setFont(bold);
    name->setWordWrap(true);
    layout->addWidget(name);
    summary_ = new QLabel(this);
    summary_->setObjectName("torrent_summary");
    summary_->setWordWrap(true);
    layout->addWidget(summary_);

    files_ = new QTreeWidget(this);
    files_->setObjectName("files");
    files_->setHeaderLabels({tr("File"), tr("Size")});
    files_->setRootIsDecorated(false);
    files_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    files_->header()->setStretchLastSection(false);
    layout->addWidget(files_, 1);
    fill_files();

    auto* form = new QFormLayout;
    auto* path_row = new QHBoxLayout;
    save_path_ = new QLineEdit(settings.default_save_path(), this);
    save_path_->setObjectName("save_path");
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        QString const dir =
            QFileDialog::getExistingDirectory(this, tr("Save to"), save_path_->text());
        if (!dir.isEmpty()) save_path_->setText(dir);
    });
    path_row->addWidget(save_path_, 1);
    path_row->addWidget(browse);
    form->addRow(tr("Save to:"), path_row);
    layout->addLayout(form);

    picker_ = new LanePicker(this);
    auto const offered = session.offered_prices(description_.id);
    picker_->set_prices(lane_prices(offered, settings.price_medium(), settings.price_fast()),
                        offered.has_value());
    picker_->set_caps(settings.caps());
    picker_->set_wallet(balance, wallet.unlocked() || session.can_buy());
    picker_->set_lane(settings.default_lane());
    connect(&wallet, &WalletService::balancesChanged, this,
            [this, &wallet, &session](qint64, qint64 token_units) {
                picker_->set_wallet(token_units, wallet.unlocked() || session.can_buy());
            });
    layout->addWidget(picker_);

    paused_ = new QCheckBox(tr("Start paused"), this);
    paused_->setObjectName("start_paused");
    layout->addWidget(paused_);
    play_ = new QCheckBox(tr("Play while downloading"), this);
    play_->setObjectName("play");
    play_->setToolTip(
        tr("Opens the player as soon as the first pieces arrive. With a paid lane, speed is "
           "bought only while the player's buffer is short."));
    layout->addWidget(play_);
    // A paused torrent cannot play.
    connect(play_, &QCheckBox::toggled, this, [this](bool on) {
        if (on) paused_->setChecked(false);
    });
    connect(paused_, &QCheckBox::toggled, this, [this](bool on) {
        if (on) play_->setChecked(false);
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    ok_->setText(tr("Add"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(files_, &QTreeWidget::itemChanged, this, [this] { update_selection(); });
    if (!description_.has_metadata) start_metadata_fetch();
    update_selection();
    resize(560, 640);
}

AddTorrentDialog::~AddTorrentDialog() {
    // After an add this finds nothing: the torrent took the fetch over.
    if (fetch_started_) session_.cancel_metadata_fetch(description_.id);
}

void AddTorrentDialog::start_metadata_fetch() {
    connect(&session_, &Session::metadataFetched, this, &AddTorrentDialog::on_metadata_fetched);
    auto fetch = session_.fetch_metadata(source_);
    if (!fetch) {
        fetch_error_ = QString::fromStdString(fetch.error());
        return;
    }
    fetching_ = true;
    fetch_started_ = true;
    files_->clear();
    auto* item = new QTreeWidgetItem(files_, {tr("Fetching metadata from the peers…")});
    item->setFlags(Qt::NoItemFlags);
}

void AddTorrentDialog::on_metadata_fetched(QString const& id) {
    if (!fetching_ || id.toStdString() != description_.id) return;
    auto fetched = session_.fetched_description(description_.id);
    if (!fetched) return;
    fetching_ = false;
    // The magnet's own name (dn) gives way to the metadata's.
    description_ = std::move(*fetched);
    if (auto* name = findChild<QLabel*>("torrent_name")) {
        name->setText(QString::fromStdString(description_.name));
    }
    {
        QSignalBlocker const quiet(files_);
        files_->clear();
        fill_files();
    }
    // Seeders met while fetching may have made offers by now.
    auto const offered = session_.offered_prices(description_.id);
    picker_->set_prices(lane_prices(offered, settings_.price_medium(), settings_.price_fast()),
                        offered.has_value());
    update_selection();
    emit metadataArrived();
}

QString AddTorrentDialog::summary_text() const {
    return summary_->text();
}

void AddTorrentDialog::fill_files() {
    if (!description_.has_metadata) {
        auto* item = new QTreeWidgetItem(files_, {tr("The file list arrives with the metadata "
                                                     "from the first peers.")});
        item->setFlags(Qt::NoItemFlags);
        return;
    }
    for (std::size_t i = 0; i < description_.files.size(); ++i) {
        auto const& file = description_.files[i];
        if (file.pad) continue;
        auto* item =
            new QTreeWidgetItem(files_, {QString::fromStdString(file.path), data_size(file.size)});
        item->setData(0, file_index_role, static_cast<int>(i));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        item->setCheckState(0, Qt::Checked);
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
}

qint64 AddTorrentDialog::wanted_bytes() const {
    qint64 total = 0;
    for (int i = 0; i < files_->topLevelItemCount(); ++i) {
        auto* item = files_->topLevelItem(i);
        QVariant const index = item->data(0, file_index_role);
        if (index.isValid() && item->checkState(0) == Qt::Checked) {
            total += description_.files[static_cast<std::size_t>(index.toInt())].size;
        }
    }
    return total;
}

void AddTorrentDialog::update_selection() {
    if (!description_.has_metadata) {
        if (fetching_) {
            summary_->setText(
                tr("Fetching metadata… the files, the size and each lane's price "
                   "show when the first peer sends it. You can add it now."));
        } else if (!fetch_error_.isEmpty()) {
            summary_->setText(tr("Magnet link: size unknown (%1).").arg(fetch_error_));
        } else {
            summary_->setText(tr("Magnet link: size unknown until the metadata arrives."));
        }
        picker_->set_size(0);
        return;
    }
    qint64 const wanted = wanted_bytes();
    summary_->setText(
        tr("%1 of %2 selected, %n file(s)", nullptr, static_cast<int>(description_.files.size()))
            .arg(data_size(wanted), data_size(description_.total_size)));
    // The lane is paid by the byte received: unselected files cost nothing.
    picker_->set_size(wanted);
    ok_->setEnabled(wanted > 0);
}

void AddTorrentDialog::set_file_wanted(int file, bool wanted) {
    for (int i = 0; i < files_->topLevelItemCount(); ++i) {
        auto* item = files_->topLevelItem(i);
        if (item->data(0, file_index_role) == QVariant(file)) {
            item->setCheckState(0, wanted ? Qt::Checked : Qt::Unchecked);
        }
    }
}

void AddTorrentDialog::set_save_path(QString const& path) {
    save_path_->setText(path);
}

void AddTorrentDialog::set_start_paused(bool paused) {
    paused_->setChecked(paused);
}

void AddTorrentDialog::set_play(bool play) {
    play_->setChecked(play);
}

AddRequest AddTorrentDialog::request() const {
    AddRequest request;
    request.source = source_;
    request.save_path = save_path_->text().trimmed();
    request.lane = picker_->lane();
    request.caps = picker_->caps();
    request.paused = paused_->isChecked();
    request.play = play_->isChecked();
    if (description_.has_metadata) {
        // Pad files keep the normal priority: libtorrent never fetches them anyway.
        request.file_priorities.assign(description_.files.size(), 4);
        for (int i = 0; i < files_->topLevelItemCount(); ++i) {
            auto* item = files_->topLevelItem(i);
            QVariant const index = item->data(0, file_index_role);
            if (index.isValid() && item->checkState(0) != Qt::Checked) {
                request.file_priorities[static_cast<std::size_t>(index.toInt())] = 0;
            }
        }
    }
    return request;
}

}  // namespace lanetorrent::ui
