// Writes the binary seed corpora of the fuzz targets (tests/fuzz/corpus/<name>/) from the
// project's own encoders, so the seeds are real, valid inputs and can be regenerated:
//   build/tests/fuzz/make_fuzz_corpus tests/fuzz/corpus
// The keys are throwaway ones made here; the keystores are sealed with the passphrase
// "correct horse" at the cheapest KDF cost, so the fuzzer can afford to open them.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tron/node_reply.hpp"
#include "tron/transaction.hpp"
#include "wallet/keystore.hpp"

namespace {

namespace fs = std::filesystem;
using namespace lanetorrent;

void write(fs::path const& file, std::string const& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

tron::BlockReference reference() {
    tron::BlockReference ref;
    ref.number = 0x1234;
    for (std::size_t i = 8; i < ref.id.size(); ++i) ref.id[i] = static_cast<std::uint8_t>(i * 7);
    ref.id[6] = 0x12;
    ref.id[7] = 0x34;
    ref.timestamp_ms = 1'700'000'000'000;
    return ref;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fuzz_corpus CORPUS_DIR\n");
        return 2;
    }
    fs::path const out = argv[1];
    auto const payer = tron::PrivateKey::generate();
    auto const payee = tron::PrivateKey::generate().address();

    // settlement: a signed TRC-10 transfer, as a payer hands it over.
    auto tx = tron::build_asset_transfer({payer.address(), payee, "1002000", 3'575'134},
                                         reference(), 1'700'000'000'500);
    tron::sign_transaction(tx, payer);
    write(out / "settlement" / "signed_transfer.pb", tx.SerializeAsString());
    auto unsigned_tx = tx;
    unsigned_tx.clear_signature();
    write(out / "settlement" / "unsigned_transfer.pb", unsigned_tx.SerializeAsString());

    // node_reply: the first byte picks the type (node_reply_fuzz.cpp).
    protocol::Account account;
    account.set_address(std::string(1, '\x41') + std::string(20, '\x01'));
    account.set_balance(100'000'000);
    (*account.mutable_assetv2())["1002000"] = 1'000'000'000;
    write(out / "node_reply" / "account.pb", std::string(1, '\0') + account.SerializeAsString());
    protocol::BlockExtention block;
    auto const ref = reference();
    block.set_blockid(std::string(ref.id.begin(), ref.id.end()));
    block.mutable_block_header()->mutable_raw_data()->set_number(ref.number);
    block.mutable_block_header()->mutable_raw_data()->set_timestamp(ref.timestamp_ms);
    write(out / "node_reply" / "block.pb", std::string(1, '\1') + block.SerializeAsString());
    protocol::AssetIssueContract asset;
    asset.set_id("1002000");
    asset.set_name("BitTorrent");
    asset.set_abbr("BTT");
    asset.set_precision(6);
    write(out / "node_reply" / "asset.pb", std::string(1, '\2') + asset.SerializeAsString());
    protocol::TransactionInfo info;
    std::string txid;
    for (int i = 0; i < 32; ++i) txid.push_back(static_cast<char>(i));
    info.set_id(txid);
    info.set_blocknumber(4660);
    info.set_fee(0);
    write(out / "node_reply" / "transaction_info.pb",
          std::string(1, '\3') + info.SerializeAsString());
    protocol::Return ret;
    ret.set_code(protocol::Return::DUP_TRANSACTION_ERROR);
    ret.set_message("dup transaction");
    write(out / "node_reply" / "return_dup.pb", std::string(1, '\4') + ret.SerializeAsString());

    // keystore: a real sealed file at the cheapest accepted cost.
    auto const keystore = out / "keystore" / "keystore.json";
    fs::remove(keystore);
    fs::create_directories(keystore.parent_path());
    if (auto made = wallet::Keystore::import(keystore, payer, "correct horse", {.log2_n = 10});
        !made) {
        std::fprintf(stderr, "make_fuzz_corpus: %s\n", made.error().c_str());
        return 1;
    }
    std::printf("make_fuzz_corpus: wrote seeds under %s\n", out.c_str());
    return 0;
}
