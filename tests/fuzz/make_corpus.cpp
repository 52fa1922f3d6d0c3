// Writes the binary seed corpora of the fuzz targets (tests/fuzz/corpus/<name>/) from the
// project's own encoders, so the seeds are real, valid inputs and can be regenerated:
//   build/tests/fuzz/make_fuzz_corpus tests/fuzz/corpus
// The keys are throwaway ones made here; the keystores are sealed with the passphrase
// "correct horse" at the cheapest KDF cost, so the fuzzer can afford to open them.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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

std::string bstring(std::string const& bytes) {
    return std::to_string(bytes.size()) + ":" + bytes;
}

// A one-piece v1 .torrent with the given name, comment, trackers (one tier each) and web seeds,
// keys in bencode's sorted order.
std::string torrent(std::string const& name, std::string const& comment,
                    std::vector<std::string> const& trackers,
                    std::vector<std::string> const& web_seeds) {
    std::string out = "d";
    if (!trackers.empty()) {
        out += bstring("announce") + bstring(trackers.front()) + bstring("announce-list") + "l";
        for (auto const& tracker : trackers) out += "l" + bstring(tracker) + "e";
        out += "e";
    }
    if (!comment.empty()) out += bstring("comment") + bstring(comment);
    out += bstring("info") + "d" + bstring("length") + "i16384e" + bstring("name") + bstring(name) +
           bstring("piece length") + "i16384e" + bstring("pieces") + bstring(std::string(20, 'p')) +
           "e";
    if (!web_seeds.empty()) {
        out += bstring("url-list") + "l";
        for (auto const& seed : web_seeds) out += bstring(seed);
        out += "e";
    }
    return out + "e";
}

// Seeds for what issue 13 found: lists past TorrentBounds (kept under the 10,000 bytes
// scripts/fuzz reads of an input), bytes that are not UTF-8, and control characters.
void write_hostile_text_seeds(fs::path const& out) {
    std::vector<std::string> trackers;
    for (int i = 0; i < 600; ++i) trackers.push_back("udp://t/" + std::to_string(i % 450));
    std::vector<std::string> seeds;
    for (int i = 0; i < 100; ++i) seeds.push_back("http://s/" + std::to_string(i));
    auto const dir = out / "torrent_file";
    write(dir / "many_trackers.torrent", torrent("many", "", trackers, {}));
    write(dir / "many_web_seeds.torrent", torrent("seeds", "", {}, seeds));
    write(dir / "not_utf8.torrent", torrent("caf\xE9\xC0\xAF", "\xFF\xFE\xED\xA0\x80",
                                            {"http://t/\xFF\xFE"}, {"http://s/\xC3("}));
    write(dir / "control_chars.torrent",
          torrent("\x1b]0;owned\x07photo\xE2\x80\xAEgpj.exe", "\x1b[2J\xC2\x9B",
                  {"http://t/\x1b[2J"}, {"http://s/\r\n"}));

    std::string const hash = "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    std::string many = hash;
    for (int i = 0; i < 220; ++i) {
        many += "&tr=udp%3A%2F%2Ft%2F" + std::to_string(i) +
                "&x.pe=127.0.0.1:" + std::to_string(1000 + i);
    }
    auto const magnets = out / "magnet";
    write(magnets / "many_trackers.txt", many);
    write(magnets / "not_utf8.txt", hash + "&dn=%FF%FEcaf%E9&tr=http%3A%2F%2Ft%2F%C0%AF");
    write(magnets / "control_chars.txt",
          hash + "&dn=%1B%5D0%3Bowned%07photo%E2%80%AEgpj.exe&tr=http%3A%2F%2Ft%2F%1B%5B2J");
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

    write_hostile_text_seeds(out);

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
