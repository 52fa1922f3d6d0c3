// libFuzzer target for the lane protocol parser (src/lanes/protocol.cpp): every body a peer can
// send goes through decode() and decode_hello(). Neither may crash, throw, leak or read out of
// bounds (ASan, UBSan), and whatever they accept must survive encode() and decode again unchanged,
// so a value we accept is always one we can also send.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "lanes/protocol.hpp"

namespace {

using namespace lanetorrent::lanes;

[[noreturn]] void fail(char const* what) {
    std::fprintf(stderr, "lane_message_fuzz: %s\n", what);
    std::abort();
}

void check_message(std::string_view input) {
    auto decoded = decode(input);
    if (!decoded) {
        if (decoded.error().empty()) fail("decode failed without a sentence");
        return;
    }
    if (!decoded.value()) return;  // an unknown type, ignored
    auto const& message = *decoded.value();
    auto again = decode(encode(message));
    if (!again) fail(again.error().c_str());
    if (!again.value() || *again.value() != message) fail("decode(encode(m)) != m");
}

void check_hello(std::string_view input) {
    auto decoded = decode_hello(input);
    if (!decoded) {
        if (decoded.error().empty()) fail("decode_hello failed without a sentence");
        return;
    }
    auto again = decode_hello(encode_hello(decoded.value()));
    if (!again) fail(again.error().c_str());
    if (again.value() != decoded.value()) fail("decode_hello(encode_hello(h)) != h");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    check_message(input);
    check_hello(input);
    return 0;
}
