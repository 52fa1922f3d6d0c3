// Micro-benchmarks of the Tron wallet primitives. The wallet's own target is signing at least
// 20,000 digests per second per core; rerun with
//   build/bench/lanetorrent-bench-tron --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"
#include "tron/transaction.hpp"

namespace {

using namespace lanetorrent::tron;

// Different digests per iteration, so nothing is served from a cache of the last answer.
Hash32 digest_for(std::uint64_t i) {
    auto const* bytes = reinterpret_cast<std::uint8_t const*>(&i);
    return sha256({bytes, sizeof i});
}

void sign_digest(benchmark::State& state) {
    auto const key = PrivateKey::generate();
    std::uint64_t i = 0;
    for (auto _ : state) {
        auto const digest = digest_for(i++);
        benchmark::DoNotOptimize(key.sign_digest(digest));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(sign_digest);

void recover_signer_of_signature(benchmark::State& state) {
    auto const key = PrivateKey::generate();
    auto const digest = digest_for(1);
    auto const signature = key.sign_digest(digest);
    for (auto _ : state) benchmark::DoNotOptimize(recover_signer(digest, signature));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(recover_signer_of_signature);

void address_from_private_key(benchmark::State& state) {
    auto const key = PrivateKey::generate();
    for (auto _ : state) benchmark::DoNotOptimize(key.address());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(address_from_private_key);

void address_base58(benchmark::State& state) {
    auto const address = PrivateKey::generate().address();
    for (auto _ : state) benchmark::DoNotOptimize(address.base58());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(address_base58);

void address_parse_base58(benchmark::State& state) {
    auto const text = PrivateKey::generate().address().base58();
    for (auto _ : state) benchmark::DoNotOptimize(Address::parse(text));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(address_parse_base58);

void build_and_sign_transfer(benchmark::State& state) {
    auto const key = PrivateKey::generate();
    AssetTransfer const transfer{key.address(), PrivateKey::generate().address(), "1002000",
                                 1'000'000};
    BlockReference block;
    block.number = 70'000'000;
    block.id = digest_for(7);
    block.timestamp_ms = 1'700'000'000'000;
    std::int64_t now_ms = block.timestamp_ms;
    for (auto _ : state) {
        auto transaction = build_asset_transfer(transfer, block, now_ms++);
        sign_transaction(transaction, key);
        benchmark::DoNotOptimize(transaction.SerializeAsString());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(build_and_sign_transfer);

}  // namespace

BENCHMARK_MAIN();
