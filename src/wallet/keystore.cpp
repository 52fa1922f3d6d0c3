#include "wallet/keystore.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <botan/aead.h>
#include <botan/auto_rng.h>
#include <botan/exceptn.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pwdhash.h>
#include <botan/secmem.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/atomic_file.hpp"

namespace lanetorrent::wallet {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A keystore is a few hundred bytes; anything much larger is not one.
constexpr std::size_t max_keystore_bytes = 64 * 1024;
constexpr std::size_t secret_bytes = 32;
constexpr std::size_t salt_bytes = 32;
constexpr std::size_t nonce_bytes = 12;
constexpr std::size_t tag_bytes = 16;
constexpr std::size_t key_bytes = 32;

// Bounds on what a file may ask for, so a hostile or damaged file cannot make unlock allocate
// gigabytes or spin for minutes. The floor keeps even the test-only cost from being trivial.
constexpr unsigned min_log2_n = 10;
constexpr unsigned max_log2_n = 20;
constexpr std::uint32_t max_r = 32;
constexpr std::uint32_t max_p = 16;
constexpr std::uint64_t max_scrypt_memory = std::uint64_t{1} << 30;

// Binds the ciphertext to the format as well as to the address, so a sealed secret cannot be
// replayed into a future format that reads the fields differently.
std::string associated_data(std::string const& address) {
    return "lanetorrent-keystore-v1:" + address;
}

struct Sealed {
    std::string address;
    ScryptParams kdf;
    std::vector<std::uint8_t> salt;
    std::vector<std::uint8_t> nonce;
    std::vector<std::uint8_t> ciphertext;
    std::vector<std::uint8_t> tag;
};

std::optional<std::string> check_kdf(ScryptParams const& kdf) {
    if (kdf.log2_n < min_log2_n || kdf.log2_n > max_log2_n) {
        return "scrypt N must be between 2^" + std::to_string(min_log2_n) + " and 2^" +
               std::to_string(max_log2_n);
    }
    if (kdf.r < 1 || kdf.r > max_r)
        return "scrypt r must be between 1 and " + std::to_string(max_r);
    if (kdf.p < 1 || kdf.p > max_p)
        return "scrypt p must be between 1 and " + std::to_string(max_p);
    if (std::uint64_t{128} * kdf.r * (std::uint64_t{1} << kdf.log2_n) > max_scrypt_memory) {
        return "scrypt N and r together need more than 1 GiB of memory";
    }
    // p multiplies the time but not the memory; the cap is the time of the largest memory.
    if (std::uint64_t{128} * kdf.r * kdf.p * (std::uint64_t{1} << kdf.log2_n) > max_scrypt_memory) {
        return "scrypt N, r and p together would take too long";
    }
    return std::nullopt;
}

std::string hex(std::vector<std::uint8_t> const& bytes) {
    return Botan::hex_encode(bytes.data(), bytes.size(), false);
}

std::string checksum_of(json const& fields) {
    auto const text = fields.dump();
    auto const digest = Botan::HashFunction::create_or_throw("SHA-256")->process(text);
    return Botan::hex_encode(digest.data(), digest.size(), false);
}

std::string serialize(Sealed const& sealed) {
    json j = {
        {"version", Keystore::format_version},
        {"address", sealed.address},
        {"kdf",
         {{"name", "scrypt"},
          {"n", std::uint64_t{1} << sealed.kdf.log2_n},
          {"r", sealed.kdf.r},
          {"p", sealed.kdf.p},
          {"salt", hex(sealed.salt)}}},
        {"cipher", {{"name", "aes-256-gcm"}, {"nonce", hex(sealed.nonce)}}},
        {"ciphertext", hex(sealed.ciphertext)},
        {"tag", hex(sealed.tag)},
    };
    j["checksum"] = checksum_of(j);
    return j.dump(2) + "\n";
}

// Throws (nlohmann or std) on any structural problem; parse() turns that into one sentence.
std::vector<std::uint8_t> hex_field(json const& object, char const* name, std::size_t size) {
    auto const& text = object.at(name).get_ref<std::string const&>();
    if (text.size() != 2 * size) {
        throw std::runtime_error(std::string(name) + " is not " + std::to_string(size) + " bytes");
    }
    try {
        return Botan::hex_decode(text, false);
    } catch (std::exception const&) {
        throw std::runtime_error(std::string(name) + " is not hex");
    }
}

std::string const& string_field(json const& object, char const* name, char const* expected) {
    auto const& text = object.at(name).get_ref<std::string const&>();
    if (expected != nullptr && text != expected) {
        throw std::runtime_error("unsupported " + std::string(name) + " \"" + text + "\"");
    }
    return text;
}

std::uint64_t unsigned_field(json const& object, char const* name) {
    auto const& value = object.at(name);
    if (!value.is_number_unsigned())
        throw std::runtime_error(std::string(name) + " is not a count");
    return value.get<std::uint64_t>();
}

std::string corrupt(fs::path const& path, std::string const& why) {
    return path.string() + " is corrupt: " + why;
}

Result<Sealed> parse(fs::path const& path, std::vector<char> const& bytes) {
    json j = json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (j.is_discarded()) return Error{corrupt(path, "it is not valid JSON")};
    if (!j.is_object()) return Error{corrupt(path, "it is not a JSON object")};
    // The version is read before anything else: a newer format may lay out every other field,
    // including the checksum, differently.
    auto const version = j.find("version");
    if (version == j.end() || !version->is_number_integer()) {
        return Error{corrupt(path, "it has no format version")};
    }
    if (*version != Keystore::format_version) {
        return Error{path.string() + " has keystore format version " + version->dump() +
                     ", which this LaneTorrent does not support (it reads version " +
                     std::to_string(Keystore::format_version) + ")"};
    }
    try {
        auto fields = j;
        auto const stored = fields.at("checksum").get<std::string>();
        fields.erase("checksum");
        if (stored != checksum_of(fields)) {
            return Error{corrupt(path, "its checksum does not match its contents")};
        }
        Sealed sealed;
        sealed.address = string_field(j, "address", nullptr);
        // Checked here rather than left to the AEAD, which would call a malformed address a wrong
        // passphrase.
        if (auto address = tron::Address::from_base58(sealed.address); !address) {
            throw std::runtime_error(address.error());
        }
        auto const& kdf = j.at("kdf");
        string_field(kdf, "name", "scrypt");
        auto const n = unsigned_field(kdf, "n");
        if (n < 2 || (n & (n - 1)) != 0) throw std::runtime_error("scrypt N is not a power of two");
        auto const r = unsigned_field(kdf, "r");
        auto const p = unsigned_field(kdf, "p");
        if (r > max_r || p > max_p) throw std::runtime_error("scrypt r or p is out of range");
        sealed.kdf.log2_n = static_cast<std::uint8_t>(std::countr_zero(n));
        sealed.kdf.r = static_cast<std::uint32_t>(r);
        sealed.kdf.p = static_cast<std::uint32_t>(p);
        if (auto why = check_kdf(sealed.kdf)) throw std::runtime_error(*why);
        sealed.salt = hex_field(kdf, "salt", salt_bytes);
        auto const& cipher = j.at("cipher");
        string_field(cipher, "name", "aes-256-gcm");
        sealed.nonce = hex_field(cipher, "nonce", nonce_bytes);
        sealed.ciphertext = hex_field(j, "ciphertext", secret_bytes);
        sealed.tag = hex_field(j, "tag", tag_bytes);
        return sealed;
    } catch (json::exception const&) {
        return Error{corrupt(path, "a field is missing or has the wrong type")};
    } catch (std::exception const& e) {
        return Error{corrupt(path, e.what())};
    }
}

// A missing file gets its own sentence; every other read failure keeps read_file's.
Result<std::vector<char>> read_keystore(fs::path const& path) {
    std::error_code ec;
    if (!fs::exists(path, ec) && !ec) return Error{"there is no keystore at " + path.string()};
    return read_file(path, max_keystore_bytes);
}

Status check_private(fs::path const& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return Error{"cannot read " + path.string() + ": " + std::strerror(errno)};
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        return Error{path.string() + " is accessible to other users; run `chmod 600 " +
                     path.string() + "` before using it"};
    }
    return Ok{};
}

Result<Sealed> load(fs::path const& path) {
    auto bytes = read_keystore(path);
    if (!bytes) return Error{bytes.error()};
    return parse(path, bytes.value());
}

Botan::secure_vector<std::uint8_t> derive_key(std::string_view passphrase, ScryptParams const& kdf,
                                              std::vector<std::uint8_t> const& salt) {
    auto const scrypt = Botan::PasswordHashFamily::create_or_throw("Scrypt")->from_params(
        std::size_t{1} << kdf.log2_n, kdf.r, kdf.p);
    Botan::secure_vector<std::uint8_t> key(key_bytes);
    scrypt->derive_key(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(),
                       salt.size());
    return key;
}

Result<Sealed> seal(tron::PrivateKey const& key, std::string_view passphrase,
                    ScryptParams const& kdf) {
    if (passphrase.empty()) return Error{"the passphrase must not be empty"};
    if (auto why = check_kdf(kdf)) return Error{"invalid keystore settings: " + *why};
    try {
        Botan::AutoSeeded_RNG rng;
        Sealed sealed;
        sealed.address = key.address().base58();
        sealed.kdf = kdf;
        rng.random_vec(sealed.salt, salt_bytes);
        rng.random_vec(sealed.nonce, nonce_bytes);
        auto const ad = associated_data(sealed.address);
        auto aead = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::ENCRYPTION);
        aead->set_key(derive_key(passphrase, kdf, sealed.salt));
        aead->set_associated_data(reinterpret_cast<std::uint8_t const*>(ad.data()), ad.size());
        aead->start(sealed.nonce);
        Botan::secure_vector<std::uint8_t> buffer(key.secret().begin(), key.secret().end());
        aead->finish(buffer);
        sealed.ciphertext.assign(buffer.begin(), buffer.begin() + secret_bytes);
        sealed.tag.assign(buffer.begin() + secret_bytes, buffer.end());
        return sealed;
    } catch (std::exception const& e) {
        return Error{std::string("cannot encrypt the key: ") + e.what()};
    }
}

Result<tron::PrivateKey> unseal(fs::path const& path, Sealed const& sealed,
                                std::string_view passphrase) {
    Botan::secure_vector<std::uint8_t> buffer(sealed.ciphertext.begin(), sealed.ciphertext.end());
    buffer.insert(buffer.end(), sealed.tag.begin(), sealed.tag.end());
    try {
        auto const ad = associated_data(sealed.address);
        auto aead = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::DECRYPTION);
        aead->set_key(derive_key(passphrase, sealed.kdf, sealed.salt));
        aead->set_associated_data(reinterpret_cast<std::uint8_t const*>(ad.data()), ad.size());
        aead->start(sealed.nonce);
        aead->finish(buffer);
    } catch (Botan::Invalid_Authentication_Tag const&) {
        // A wrong passphrase and a tampered ciphertext, tag, nonce, salt or address all land
        // here; the checksum has already ruled out accidental damage.
        return Error{"wrong passphrase for " + path.string()};
    } catch (std::exception const& e) {
        return Error{"cannot decrypt " + path.string() + ": " + e.what()};
    }
    auto key = tron::PrivateKey::from_bytes(buffer);
    if (!key) return Error{corrupt(path, "it holds an invalid private key")};
    if (key->address().base58() != sealed.address) {
        return Error{corrupt(path, "its key does not belong to its address")};
    }
    return key;
}

void sync_directory(fs::path const& path) {
    auto const dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    int const fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// write_file_atomically replaces whatever is at its target, so a new keystore is written next to
// `path` and hard-linked into place: link() fails if `path` appeared in the meantime, which an
// exists() check followed by rename() would not notice.
Status write_new(fs::path const& path, std::string const& text) {
    std::error_code ec;
    if (fs::exists(path, ec)) {
        return Error{path.string() + " already exists; refusing to overwrite a keystore"};
    }
    auto const staging = fs::path(path).concat(".new");
    if (auto status = write_file_atomically(staging, text); !status) return status;
    Status result = Ok{};
    if (::link(staging.c_str(), path.c_str()) != 0) {
        int const err = errno;
        if (err == EEXIST) {
            result = Error{path.string() + " already exists; refusing to overwrite a keystore"};
        } else if (err == EPERM || err == EOPNOTSUPP || err == ENOSYS) {
            // No hard links on this file system: fall back to the racy check done above.
            if (::rename(staging.c_str(), path.c_str()) != 0) {
                result = Error{"cannot write " + path.string() + ": " + std::strerror(errno)};
            }
        } else {
            result = Error{"cannot write " + path.string() + ": " + std::strerror(err)};
        }
    }
    ::unlink(staging.c_str());
    sync_directory(path);
    return result;
}

// write_file_atomically creates with 0600, but a stale temporary file left with wider bits would
// keep them through O_TRUNC and the rename.
Status make_private(fs::path const& path) {
    if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
        return Error{"cannot restrict the permissions of " + path.string() + ": " +
                     std::strerror(errno)};
    }
    return Ok{};
}

}  // namespace

Status Keystore::import(fs::path const& path, tron::PrivateKey const& key,
                        std::string_view passphrase, ScryptParams kdf) {
    auto sealed = seal(key, passphrase, kdf);
    if (!sealed) return Error{sealed.error()};
    if (auto status = write_new(path, serialize(sealed.value())); !status) return status;
    return make_private(path);
}

Result<tron::Address> Keystore::create(fs::path const& path, std::string_view passphrase,
                                       ScryptParams kdf) {
    auto const key = tron::PrivateKey::generate();
    if (auto status = import(path, key, passphrase, kdf); !status) return Error{status.error()};
    return key.address();
}

Result<tron::Address> Keystore::address_of(fs::path const& path) {
    auto sealed = load(path);
    if (!sealed) return Error{sealed.error()};
    auto address = tron::Address::from_base58(sealed->address);
    if (!address) return Error{corrupt(path, address.error())};
    return address;
}

Result<tron::PrivateKey> Keystore::unlock(fs::path const& path, std::string_view passphrase) {
    auto sealed = load(path);
    if (!sealed) return Error{sealed.error()};
    if (auto status = check_private(path); !status) return Error{status.error()};
    return unseal(path, sealed.value(), passphrase);
}

Status Keystore::change_passphrase(fs::path const& path, std::string_view old_passphrase,
                                   std::string_view new_passphrase, ScryptParams kdf) {
    auto key = unlock(path, old_passphrase);
    if (!key) return Error{key.error()};
    auto sealed = seal(key.value(), new_passphrase, kdf);
    if (!sealed) return Error{sealed.error()};
    if (auto status = write_file_atomically(path, serialize(sealed.value())); !status)
        return status;
    return make_private(path);
}

}  // namespace lanetorrent::wallet
