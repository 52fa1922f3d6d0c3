#include "wallet/secret.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <botan/mem_ops.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace lanetorrent::wallet {

Status keep_secrets_out_of_core_dumps() {
    std::string failed;
    rlimit const none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0) {
        failed = std::string("cannot set RLIMIT_CORE to 0: ") + std::strerror(errno);
    }
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        if (!failed.empty()) failed += "; ";
        failed += std::string("cannot make the process undumpable: ") + std::strerror(errno);
    }
    if (!failed.empty()) return Error{failed};
    return Ok{};
}

void scrub(std::span<char> bytes) {
    if (!bytes.empty()) Botan::secure_scrub_memory(bytes.data(), bytes.size());
}

SecretText::SecretText(std::string_view text) {
    if (text.empty()) return;
    // allocate_memory takes from the mlock()ed pool when it can and zeroes what it returns.
    data_ = static_cast<char*>(Botan::allocate_memory(text.size(), 1));
    capacity_ = text.size();
    size_ = text.size();
    std::memcpy(data_, text.data(), text.size());
}

SecretText::~SecretText() {
    release();
}

SecretText::SecretText(SecretText&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretText& SecretText::operator=(SecretText&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

void SecretText::wipe() {
    if (data_ != nullptr) Botan::secure_scrub_memory(data_, capacity_);
    size_ = 0;
}

void SecretText::release() {
    wipe();
    // deallocate_memory scrubs again before the block goes back to the pool or the heap.
    if (data_ != nullptr) Botan::deallocate_memory(data_, capacity_, 1);
    data_ = nullptr;
    capacity_ = 0;
}

bool operator==(SecretText const& a, SecretText const& b) {
    return a.size_ == b.size_ &&
           Botan::constant_time_compare(reinterpret_cast<std::uint8_t const*>(a.data_),
                                        reinterpret_cast<std::uint8_t const*>(b.data_), a.size_);
}

}  // namespace lanetorrent::wallet
