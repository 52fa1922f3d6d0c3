// libFuzzer target for keystore files (src/wallet/keystore.cpp): a file on disk may be damaged,
// hand-edited or planted. Reading it must end in an address or a sentence, never a crash, and an
// unlock attempt with a wrong passphrase must never succeed.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "wallet/keystore.hpp"

namespace {

std::filesystem::path scratch_file() {
    static std::filesystem::path const path = [] {
        char dir[] = "/tmp/keystore-fuzz-XXXXXX";
        if (::mkdtemp(dir) == nullptr) std::abort();
        return std::filesystem::path(dir) / "keystore.json";
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    auto const path = scratch_file();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<char const*>(data), static_cast<std::streamsize>(size));
    }
    ::chmod(path.c_str(), 0600);
    using lanetorrent::wallet::Keystore;
    auto const address = Keystore::address_of(path);
    if (!address && address.error().empty()) {
        std::fprintf(stderr, "keystore_fuzz: refused without a sentence\n");
        std::abort();
    }
    // The seeds are sealed with "correct horse"; a mutated file must not open with another one.
    // Costly KDF parameters are refused before any work (at most 2^20 / 1 GiB), and the checksum
    // stops almost every mutation before scrypt, so this stays fast.
    auto const unlocked = Keystore::unlock(path, "wrong passphrase");
    if (unlocked) {
        std::fprintf(stderr, "keystore_fuzz: a wrong passphrase unlocked a keystore\n");
        std::abort();
    }
    if (unlocked.error().empty()) {
        std::fprintf(stderr, "keystore_fuzz: unlock failed without a sentence\n");
        std::abort();
    }
    return 0;
}
