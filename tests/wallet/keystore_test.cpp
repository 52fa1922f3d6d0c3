// The encrypted keystore: round trips, every way a file can be wrong, and the promise that a
// failed operation leaves the file byte-for-byte as it was.
#include "wallet/keystore.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "temp_dir.hpp"
#include "tron/bytes.hpp"

namespace lanetorrent::wallet {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// The cheapest cost the keystore accepts; the default would make this suite take minutes.
constexpr ScryptParams fast = test_only_cheap;
constexpr char const* passphrase = "correct horse battery staple";

std::string slurp(fs::path const& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(fs::path const& path, std::string const& bytes) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
}

unsigned mode_of(fs::path const& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

bool contains(std::string const& text, std::string const& part) {
    return text.find(part) != std::string::npos;
}

// What an attacker who edits the file would do: change a field and make the unkeyed checksum
// match again, so only the cryptography stands in the way.
std::string with_checksum(json j) {
    j.erase("checksum");
    auto const text = j.dump();
    j["checksum"] = tron::to_hex(
        tron::sha256({reinterpret_cast<std::uint8_t const*>(text.data()), text.size()}));
    return j.dump(2) + "\n";
}

class KeystoreTest : public ::testing::Test {
  protected:
    test::TempDir dir{"lanetorrent-wallet-test"};
    fs::path path = dir.path() / "wallet.json";

    tron::Address create() {
        auto address = Keystore::create(path, passphrase, fast);
        EXPECT_TRUE(address) << address.error();
        return address.value();
    }

    // Every failure must leave the file exactly as it was and still unlockable.
    void expect_intact(std::string const& before) {
        EXPECT_EQ(slurp(path), before);
        EXPECT_EQ(mode_of(path), 0600u);
        auto key = Keystore::unlock(path, passphrase);
        EXPECT_TRUE(key) << key.error();
    }

    void expect_no_leftovers() {
        for (auto const& entry : fs::directory_iterator(dir.path())) {
            EXPECT_EQ(entry.path().filename(), "wallet.json") << "left behind: " << entry.path();
        }
    }
};

TEST_F(KeystoreTest, CreateThenUnlockGivesTheSameAddress) {
    auto const address = create();
    EXPECT_EQ(address.base58().front(), 'T');

    auto const shown = Keystore::address_of(path);
    ASSERT_TRUE(shown) << shown.error();
    EXPECT_EQ(shown.value(), address);

    auto const key = Keystore::unlock(path, passphrase);
    ASSERT_TRUE(key) << key.error();
    EXPECT_EQ(key->address(), address);
    expect_no_leftovers();
}

TEST_F(KeystoreTest, ImportThenUnlockGivesTheSameSecret) {
    auto const key = tron::PrivateKey::generate();
    auto const imported = Keystore::import(path, key, passphrase, fast);
    ASSERT_TRUE(imported) << imported.error();

    auto const unlocked = Keystore::unlock(path, passphrase);
    ASSERT_TRUE(unlocked) << unlocked.error();
    EXPECT_EQ(unlocked->secret(), key.secret());
    EXPECT_EQ(Keystore::address_of(path).value(), key.address());
}

TEST_F(KeystoreTest, DefaultCostIsStrongAndStoredInTheFile) {
    auto const created = Keystore::create(path, passphrase);
    ASSERT_TRUE(created) << created.error();
    auto const j = json::parse(slurp(path));
    EXPECT_EQ(j.at("version"), 1);
    EXPECT_EQ(j.at("address"), created->base58());
    EXPECT_EQ(j.at("kdf").at("name"), "scrypt");
    EXPECT_EQ(j.at("kdf").at("n").get<std::uint64_t>(), 1u << 18);  // geth's standard
    EXPECT_EQ(j.at("kdf").at("r"), 8);
    EXPECT_EQ(j.at("kdf").at("p"), 1);
    EXPECT_EQ(j.at("kdf").at("salt").get<std::string>().size(), 64u);
    EXPECT_EQ(j.at("cipher").at("name"), "aes-256-gcm");
    EXPECT_EQ(j.at("cipher").at("nonce").get<std::string>().size(), 24u);
    EXPECT_EQ(j.at("ciphertext").get<std::string>().size(), 64u);
    EXPECT_EQ(j.at("tag").get<std::string>().size(), 32u);

    auto const start = std::chrono::steady_clock::now();
    auto const key = Keystore::unlock(path, passphrase);
    auto const elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(key) << key.error();
    EXPECT_EQ(key->address(), created.value());
    std::cout << "unlock at the default cost took "
              << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

TEST_F(KeystoreTest, SaltAndNonceAreFreshEveryTime) {
    auto const key = tron::PrivateKey::generate();
    ASSERT_TRUE(Keystore::import(path, key, passphrase, fast));
    auto const other = dir.path() / "other.json";
    ASSERT_TRUE(Keystore::import(other, key, passphrase, fast));
    auto const a = json::parse(slurp(path));
    auto const b = json::parse(slurp(other));
    EXPECT_NE(a.at("kdf").at("salt"), b.at("kdf").at("salt"));
    EXPECT_NE(a.at("cipher").at("nonce"), b.at("cipher").at("nonce"));
    EXPECT_NE(a.at("ciphertext"), b.at("ciphertext"));
}

TEST_F(KeystoreTest, WrongPassphraseIsOneSentenceAndChangesNothing) {
    create();
    auto const before = slurp(path);
    for (char const* wrong : {"", "correct horse battery stapl", "Correct horse battery staple",
                              "correct horse battery staple "}) {
        auto const key = Keystore::unlock(path, wrong);
        ASSERT_FALSE(key) << wrong;
        EXPECT_EQ(key.error(), "wrong passphrase for " + path.string());
        EXPECT_FALSE(contains(key.error(), passphrase));
    }
    expect_intact(before);
}

TEST_F(KeystoreTest, MissingFileIsReported) {
    auto const address = Keystore::address_of(path);
    ASSERT_FALSE(address);
    EXPECT_EQ(address.error(), "there is no keystore at " + path.string());
    auto const key = Keystore::unlock(path, passphrase);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), address.error());
    EXPECT_FALSE(Keystore::change_passphrase(path, passphrase, "new", fast));
    EXPECT_FALSE(fs::exists(path));
}

TEST_F(KeystoreTest, TruncatedFilesAreCorrupt) {
    create();
    auto const whole = slurp(path);
    // Dropping only the final newline leaves valid JSON; every shorter prefix loses the brace.
    ASSERT_EQ(whole.back(), '\n');
    for (std::size_t length = 0; length + 1 < whole.size(); ++length) {
        auto const truncated = whole.substr(0, length);
        spit(path, truncated);
        auto const key = Keystore::unlock(path, passphrase);
        ASSERT_FALSE(key) << length;
        EXPECT_TRUE(contains(key.error(), path.string() + " is corrupt: ")) << key.error();
        auto const address = Keystore::address_of(path);
        ASSERT_FALSE(address) << length;
        EXPECT_TRUE(contains(address.error(), " is corrupt: ")) << address.error();
        EXPECT_EQ(slurp(path), truncated);
    }
}

TEST_F(KeystoreTest, EveryFlippedByteIsRejected) {
    create();
    auto const whole = slurp(path);
    for (std::size_t i = 0; i + 1 < whole.size(); ++i) {
        auto flipped = whole;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
        spit(path, flipped);
        auto const key = Keystore::unlock(path, passphrase);
        EXPECT_FALSE(key) << "byte " << i << " ('" << whole[i] << "') flipped still unlocks";
        EXPECT_EQ(slurp(path), flipped);
    }
}

TEST_F(KeystoreTest, DamagedFieldsReadAsCorruptNotAsWrongPassphrase) {
    create();
    auto const original = json::parse(slurp(path));
    for (auto const& pointer : {"/ciphertext", "/tag", "/kdf/salt", "/cipher/nonce", "/address"}) {
        auto damaged = original;
        auto& value = damaged[json::json_pointer(pointer)].get_ref<std::string&>();
        value[5] = value[5] == 'a' ? 'b' : 'a';  // a valid hex and Base58 digit either way
        auto const text = damaged.dump(2) + "\n";
        spit(path, text);
        auto const key = Keystore::unlock(path, passphrase);
        ASSERT_FALSE(key) << pointer;
        EXPECT_EQ(key.error(),
                  path.string() + " is corrupt: its checksum does not match its contents")
            << pointer;
        EXPECT_FALSE(Keystore::address_of(path)) << pointer;
        EXPECT_EQ(slurp(path), text) << pointer;
    }
}

TEST_F(KeystoreTest, TamperingThatFixesTheChecksumStillFails) {
    auto const address = create();
    auto const original = json::parse(slurp(path));
    for (auto const& pointer : {"/ciphertext", "/tag", "/kdf/salt", "/cipher/nonce"}) {
        auto tampered = original;
        auto& value = tampered[json::json_pointer(pointer)].get_ref<std::string&>();
        value[0] = value[0] == '0' ? '1' : '0';
        spit(path, with_checksum(tampered));
        auto const key = Keystore::unlock(path, passphrase);
        ASSERT_FALSE(key) << pointer;
        EXPECT_EQ(key.error(), "wrong passphrase for " + path.string()) << pointer;
    }

    // A valid address of someone else: `wallet address` would show it, but the key never
    // unlocks under it, because the address is the ciphertext's associated data.
    auto const other = tron::PrivateKey::generate().address();
    auto swapped = original;
    swapped["address"] = other.base58();
    spit(path, with_checksum(swapped));
    EXPECT_EQ(Keystore::address_of(path).value(), other);
    auto const key = Keystore::unlock(path, passphrase);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), "wrong passphrase for " + path.string());

    spit(path, with_checksum(original));
    EXPECT_EQ(Keystore::unlock(path, passphrase)->address(), address);
}

TEST_F(KeystoreTest, MalformedJsonIsCorrupt) {
    create();
    auto const valid = json::parse(slurp(path));
    auto without = [&](char const* pointer) {
        auto j = valid;
        json::json_pointer const p(pointer);
        j[p.parent_pointer()].erase(p.back());
        return with_checksum(j);
    };
    auto replaced = [&](char const* pointer, json value) {
        auto j = valid;
        j[json::json_pointer(pointer)] = std::move(value);
        return with_checksum(j);
    };
    std::string const huge_n = replaced("/kdf/n", std::uint64_t{1} << 40);
    for (auto const& text : {
             std::string(""),
             std::string("{"),
             std::string("[]"),
             std::string("null"),
             std::string("\"wallet\""),
             std::string("{\"version\": 1}"),
             std::string("{\"version\": \"1\"}"),
             std::string("\x00\xff\xfe garbage", 12),
             [&] {
                 auto j = valid;
                 j.erase("checksum");
                 return j.dump(2);
             }(),
             without("/address"),
             without("/kdf/salt"),
             without("/tag"),
             replaced("/kdf/name", "pbkdf2"),
             replaced("/cipher/name", "aes-128-gcm"),
             replaced("/kdf/n", 1000),
             replaced("/kdf/n", -32768),
             replaced("/kdf/n", 512),
             huge_n,
             replaced("/kdf/r", 0),
             replaced("/kdf/r", 1024),
             replaced("/kdf/p", 0),
             replaced("/tag", "00"),
             replaced("/ciphertext", std::string(64, 'z')),
             replaced("/ciphertext", 7),
             replaced("/address", "not an address"),
         }) {
        spit(path, text);
        auto const key = Keystore::unlock(path, passphrase);
        ASSERT_FALSE(key) << text;
        EXPECT_TRUE(contains(key.error(), path.string() + " is corrupt: ")) << key.error();
        EXPECT_EQ(slurp(path), text);
    }
}

TEST_F(KeystoreTest, UnsupportedVersionIsNamed) {
    spit(path, "{\"version\": 2, \"whatever\": \"a later release wrote\"}");
    auto const key = Keystore::unlock(path, passphrase);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), path.string() +
                               " has keystore format version 2, which this LaneTorrent does not "
                               "support (it reads version 1)");
    EXPECT_EQ(Keystore::address_of(path).error(), key.error());
}

TEST_F(KeystoreTest, FilesAreOwnerOnly) {
    ::umask(0);  // the keystore must not rely on the caller's umask
    create();
    EXPECT_EQ(mode_of(path), 0600u);

    auto const imported = dir.path() / "imported.json";
    ASSERT_TRUE(Keystore::import(imported, tron::PrivateKey::generate(), passphrase, fast));
    EXPECT_EQ(mode_of(imported), 0600u);

    // A stale temporary file with loose bits must not pass them on.
    auto const stale = fs::path(path).concat(".tmp");
    spit(stale, "");
    fs::permissions(stale, fs::perms::all);
    ASSERT_TRUE(Keystore::change_passphrase(path, passphrase, "new", fast));
    EXPECT_EQ(mode_of(path), 0600u);
    ::umask(022);
}

TEST_F(KeystoreTest, UnlockRefusesAFileOthersCanRead) {
    auto const address = create();
    auto const before = slurp(path);
    fs::permissions(path, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
    auto const key = Keystore::unlock(path, passphrase);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), path.string() + " is accessible to other users; run `chmod 600 " +
                               path.string() + "` before using it");
    EXPECT_FALSE(Keystore::change_passphrase(path, passphrase, "new", fast));
    // The address is public anyway.
    EXPECT_EQ(Keystore::address_of(path).value(), address);
    EXPECT_EQ(slurp(path), before);
    EXPECT_EQ(mode_of(path), 0644u);

    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_TRUE(Keystore::unlock(path, passphrase));
}

// A keystore written at the old default (N = 2^15) still unlocks, and the next passphrase change
// re-seals it at today's default.
TEST_F(KeystoreTest, PassphraseChangeMovesAnOlderFileToTheDefaultCost) {
    auto const key = tron::PrivateKey::generate();
    ASSERT_TRUE(Keystore::import(path, key, passphrase, ScryptParams{15, 8, 1}));
    EXPECT_EQ(json::parse(slurp(path)).at("kdf").at("n"), 32768);
    ASSERT_TRUE(Keystore::change_passphrase(path, passphrase, "a new passphrase"));
    auto const j = json::parse(slurp(path));
    EXPECT_EQ(j.at("kdf").at("n"), 262144);
    EXPECT_EQ(j.at("kdf").at("r"), 8);
    EXPECT_EQ(j.at("kdf").at("p"), 1);
    EXPECT_EQ(Keystore::address_of(path).value(), key.address());
}

TEST_F(KeystoreTest, ChangePassphraseSwapsWhichOneWorks) {
    auto const address = create();
    auto const secret = Keystore::unlock(path, passphrase)->secret();
    ScryptParams const stronger{11, 2, 1};
    auto const changed =
        Keystore::change_passphrase(path, passphrase, "a new passphrase", stronger);
    ASSERT_TRUE(changed) << changed.error();
    EXPECT_EQ(mode_of(path), 0600u);

    auto const old = Keystore::unlock(path, passphrase);
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error(), "wrong passphrase for " + path.string());
    auto const key = Keystore::unlock(path, "a new passphrase");
    ASSERT_TRUE(key) << key.error();
    EXPECT_EQ(key->secret(), secret);
    EXPECT_EQ(Keystore::address_of(path).value(), address);

    auto const j = json::parse(slurp(path));
    EXPECT_EQ(j.at("kdf").at("n"), 2048);
    EXPECT_EQ(j.at("kdf").at("r"), 2);
    expect_no_leftovers();
}

TEST_F(KeystoreTest, FailedChangeLeavesTheFileAlone) {
    create();
    auto const before = slurp(path);

    auto const wrong = Keystore::change_passphrase(path, "not it", "new", fast);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error(), "wrong passphrase for " + path.string());
    expect_intact(before);

    auto const empty = Keystore::change_passphrase(path, passphrase, "", fast);
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error(), "the passphrase must not be empty");
    expect_intact(before);

    auto const weak = Keystore::change_passphrase(path, passphrase, "new", {9, 1, 1});
    ASSERT_FALSE(weak);
    expect_intact(before);

    // The write itself fails: a directory sits where the temporary file would go.
    auto const blocker = fs::path(path).concat(".tmp");
    fs::create_directory(blocker);
    auto const blocked = Keystore::change_passphrase(path, passphrase, "new", fast);
    ASSERT_FALSE(blocked);
    fs::remove(blocker);
    expect_intact(before);
    expect_no_leftovers();
}

TEST_F(KeystoreTest, CreateAndImportNeverOverwrite) {
    auto const address = create();
    auto const before = slurp(path);

    auto const again = Keystore::create(path, "other", fast);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), path.string() + " already exists; refusing to overwrite a keystore");
    auto const imported = Keystore::import(path, tron::PrivateKey::generate(), "other", fast);
    ASSERT_FALSE(imported);
    EXPECT_EQ(imported.error(), again.error());
    expect_intact(before);
    EXPECT_EQ(Keystore::address_of(path).value(), address);

    // Not only keystores: whatever is at the path stays.
    auto const notes = dir.path() / "notes.txt";
    spit(notes, "my notes");
    EXPECT_FALSE(Keystore::create(notes, passphrase, fast));
    EXPECT_EQ(slurp(notes), "my notes");
    fs::remove(notes);
    expect_no_leftovers();
}

TEST_F(KeystoreTest, FailedCreateLeavesNothingBehind) {
    auto const empty = Keystore::create(path, "", fast);
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error(), "the passphrase must not be empty");
    for (ScryptParams const bad :
         {ScryptParams{9, 1, 1}, ScryptParams{21, 1, 1}, ScryptParams{20, 16, 1},
          ScryptParams{20, 8, 2}, ScryptParams{10, 0, 1}, ScryptParams{10, 1, 0}}) {
        auto const created = Keystore::create(path, passphrase, bad);
        ASSERT_FALSE(created);
        EXPECT_TRUE(contains(created.error(), "invalid keystore settings: ")) << created.error();
    }
    EXPECT_FALSE(Keystore::create(dir.path() / "missing" / "wallet.json", passphrase, fast));
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST_F(KeystoreTest, NoPlaintextSecretInTheFile) {
    for (int i = 0; i < 8; ++i) {
        auto const file = dir.path() / ("key" + std::to_string(i) + ".json");
        auto const key = tron::PrivateKey::generate();
        ASSERT_TRUE(Keystore::import(file, key, passphrase, fast));
        auto const text = slurp(file);
        auto const& secret = key.secret();
        std::string const raw(secret.begin(), secret.end());
        auto const hex = tron::to_hex(secret);
        auto upper = hex;
        std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
        EXPECT_FALSE(contains(text, raw));
        EXPECT_FALSE(contains(text, hex));
        EXPECT_FALSE(contains(text, upper));
        // Nor any 8-byte window of it, in case a field holds part of the key in the clear.
        for (std::size_t at = 0; at + 8 <= secret.size(); ++at) {
            EXPECT_FALSE(contains(text, hex.substr(2 * at, 16))) << at;
        }
        EXPECT_FALSE(contains(text, passphrase));
    }
}

}  // namespace
}  // namespace lanetorrent::wallet
