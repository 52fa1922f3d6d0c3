// The wallet's private key at rest: one small JSON file per account, the secret sealed with
// AES-256-GCM under a key stretched from the user's passphrase by scrypt. The Base58 address sits
// in the clear so `wallet address` works without the passphrase; it is also the AEAD's associated
// data, so a file whose address was swapped for another does not unlock.
//
// Format (version 1), all binary values lowercase hex:
//   {
//     "version": 1,
//     "address": "T...",
//     "kdf": {"name": "scrypt", "n": 262144, "r": 8, "p": 1, "salt": <32 bytes>},
//     "cipher": {"name": "aes-256-gcm", "nonce": <12 bytes>},
//     "ciphertext": <32 bytes>,
//     "tag": <16 bytes>,
//     "checksum": <SHA-256 of the other fields>
//   }
// The checksum is unkeyed: it only lets a damaged file (disk error, bad copy, hand edit) read as
// "corrupt" rather than as "wrong passphrase", which AES-GCM alone cannot tell apart. Deliberate
// tampering that recomputes it is still caught by the GCM tag and reads as a wrong passphrase.
//
// Files are written with write_file_atomically and forced to mode 0600. Reading the address works
// whatever the mode; unlock and change_passphrase refuse a file that group or others can read or
// write (as ssh does with private keys): the ciphertext is an offline target for passphrase
// guessing, and there is no log in this layer through which a mere warning would reach the user.
//
// Passphrases are taken as views and never copied into long-lived storage; derived keys and the
// plaintext secret live only in Botan::secure_vector, which wipes itself. Nothing here logs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "base/result.hpp"
#include "tron/address.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::wallet {

struct ScryptParams {
    // N = 2^18, r = 8, p = 1: geth's standard ("StandardScryptN"). It needs 256 MiB and took
    // 1.27-1.47 s per derivation on the 2-core project machine (Botan 2.19; OpenSSL's
    // EVP_PBE_scrypt is no faster); each doubling of N doubles both. The default used to be 2^15
    // (32 MiB, 0.16-0.18 s): every file records its own parameters, so such files still unlock,
    // and change_passphrase re-seals them at whatever cost it is given (this default
    // unless a caller asks otherwise), which is how older files move up. The accepted range (N
    // from 2^10 to 2^20, at most 1 GiB) also bounds what a hostile file can demand. The floor,
    // 2^10, is for tests only (`test_only_cheap` below), never a default.
    std::uint8_t log2_n = 18;
    std::uint32_t r = 8;
    std::uint32_t p = 1;
};

// The cheapest cost the keystore accepts (N = 2^10, r = 1: 128 KiB, well under a millisecond).
// For test suites that create and unlock keystores many times; passed explicitly, never implied.
inline constexpr ScryptParams test_only_cheap{10, 1, 1};

class Keystore {
  public:
    static constexpr int format_version = 1;

    // Generates a fresh key and seals it at `path`. Refuses to overwrite an existing file, even
    // one created concurrently: losing a key is worse than a failed create. Refuses an empty
    // passphrase, which would leave the key protected by nothing but the file mode.
    static Result<tron::Address> create(std::filesystem::path const& path,
                                        std::string_view passphrase, ScryptParams kdf = {});
    // Seals an existing key; the same no-overwrite rule as create.
    static Status import(std::filesystem::path const& path, tron::PrivateKey const& key,
                         std::string_view passphrase, ScryptParams kdf = {});
    // Needs no passphrase. Checks the file's structure and checksum, not its ciphertext.
    static Result<tron::Address> address_of(std::filesystem::path const& path);
    static Result<tron::PrivateKey> unlock(std::filesystem::path const& path,
                                           std::string_view passphrase);
    // Re-seals with a new salt, nonce and the given KDF cost, replacing the file atomically; on
    // any failure the old file is left as it was.
    static Status change_passphrase(std::filesystem::path const& path,
                                    std::string_view old_passphrase,
                                    std::string_view new_passphrase, ScryptParams kdf = {});
    // Exporting is unlock followed by the caller's explicit confirmation; it has no entry here.
};

}  // namespace lanetorrent::wallet
