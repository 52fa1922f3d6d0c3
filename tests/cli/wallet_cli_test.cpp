// `lanetorrent-cli wallet` as scripts use it: keys in, addresses and signatures out, payments
// against a real lanetorrent-devnet over gRPC. Private keys only ever travel over stdin.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "cli.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Reference vector (tron-facts.md 3.4): private key 1.
constexpr char const* key_one = "0000000000000000000000000000000000000000000000000000000000000001";
constexpr char const* address_one = "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC";
constexpr char const* address_two = "TDvSsdrNM5eeXNL3czpa6AxLDHZA9nwe9K";

CliRun run_with_stdin(std::vector<std::string> const& args, std::string const& input,
                      TempDir const& dir) {
    auto const file = dir.path() / "stdin.txt";
    std::ofstream(file) << input << "\n";
    std::string command = cli_path();
    for (auto const& arg : args) command += " '" + arg + "'";
    auto const out = dir.path() / "out.txt";
    auto const err = dir.path() / "err.txt";
    int const status = std::system(
        (command + " < " + file.string() + " > " + out.string() + " 2> " + err.string()).c_str());
    fs::remove(file);  // a private key must not outlive the test
    return {WEXITSTATUS(status), read_file(out), read_file(err)};
}

class WalletCli : public ::testing::Test {
  protected:
    void SetUp() override {
        passphrase_ = (dir_.path() / "passphrase").string();
        std::ofstream(passphrase_) << "correct horse battery staple\n";
    }
    std::vector<std::string> wallet(std::vector<std::string> args) {
        args.insert(args.begin(), {"--profile", (dir_.path() / "profile").string(), "wallet"});
        return args;
    }
    // At the cheapest cost: these tests unlock many times, and each unlock at the default cost
    // takes over a second. ImportKeepsTheKeyEncryptedAndPrivate covers the default.
    void import_key_one(bool cheap = true) {
        std::vector<std::string> args{"import", "--passphrase-file", passphrase_};
        if (cheap) args.emplace_back("--test-only-cheap-kdf");
        auto const run = run_with_stdin(wallet(args), key_one, dir_);
        ASSERT_EQ(run.exit_code, 0) << run.err;
    }

    TempDir dir_;
    std::string passphrase_;
};

TEST_F(WalletCli, DeriveMatchesTheReferenceVector) {
    auto const run = run_with_stdin({"wallet", "derive", "--json"}, key_one, dir_);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto const json = nlohmann::json::parse(run.out);
    EXPECT_EQ(json["base58"], address_one);
    EXPECT_EQ(json["hex"], "417e5f4552091a69125d5dfcb7b8c2659029395bdf");
    EXPECT_EQ(run.out.find(key_one), std::string::npos);
}

TEST_F(WalletCli, ImportKeepsTheKeyEncryptedAndPrivate) {
    import_key_one(false);
    auto const keystore = dir_.path() / "profile" / "data" / "keystore.json";
    // The default cost, geth's standard, unless a test asks for less.
    EXPECT_EQ(nlohmann::json::parse(read_file(keystore))["kdf"]["n"], 262144);
    struct stat st {};
    ASSERT_EQ(::stat(keystore.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(read_file(keystore).find(
                  "0000000000000000000000000000000000000000000000000000000000000001"),
              std::string::npos);
    auto const address = run_cli(wallet({"address"}));
    EXPECT_EQ(address.exit_code, 0);
    EXPECT_EQ(address.out, std::string(address_one) + "\n");
    // A second import must not overwrite the first key.
    auto const again =
        run_with_stdin(wallet({"import", "--passphrase-file", passphrase_}), key_one, dir_);
    EXPECT_EQ(again.exit_code, 1);
}

TEST_F(WalletCli, SignAndVerifyMessages) {
    import_key_one();
    auto const signed_run =
        run_cli(wallet({"sign-message", "hello world", "--passphrase-file", passphrase_}));
    ASSERT_EQ(signed_run.exit_code, 0) << signed_run.err;
    auto const signature = signed_run.out.substr(0, signed_run.out.size() - 1);
    // TronWeb's own vector for key 1 and "hello world" (tron-facts.md 3.4).
    EXPECT_EQ(signature.substr(0, 8), "0dc0b53d");
    EXPECT_EQ(signature.substr(signature.size() - 4), "7e1c");
    EXPECT_EQ(run_cli({"wallet", "verify-message", "hello world", "--signature", signature,
                       "--address", address_one})
                  .exit_code,
              0);
    EXPECT_EQ(run_cli({"wallet", "verify-message", "hello world!", "--signature", signature,
                       "--address", address_one})
                  .exit_code,
              1);
    EXPECT_EQ(run_cli({"wallet", "verify-message", "hello world", "--signature", signature,
                       "--address", address_two})
                  .exit_code,
              1);
}

TEST_F(WalletCli, WrongPassphraseAndBadInputFailClearly) {
    import_key_one();
    auto const wrong = dir_.path() / "wrong";
    std::ofstream(wrong) << "not it\n";
    auto const run = run_cli(wallet({"sign-message", "x", "--passphrase-file", wrong.string()}));
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("wrong passphrase"), std::string::npos) << run.err;

    auto const bad_key = run_with_stdin({"wallet", "derive"}, "12345", dir_);
    EXPECT_EQ(bad_key.exit_code, 1);
    auto const bad_to = run_cli(wallet(
        {"send", "--to", "Tnotanaddress", "--amount", "5", "--passphrase-file", passphrase_}));
    EXPECT_EQ(bad_to.exit_code, 2) << bad_to.err;
}

TEST_F(WalletCli, ExportNeedsConfirmationAndPassphraseCanChange) {
    import_key_one();
    auto const unconfirmed = run_cli(wallet({"export", "--passphrase-file", passphrase_}));
    EXPECT_EQ(unconfirmed.exit_code, 2);
    EXPECT_EQ(unconfirmed.out.find(key_one), std::string::npos);
    auto const exported =
        run_cli(wallet({"export", "--passphrase-file", passphrase_, "--yes-print-private-key"}));
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    EXPECT_EQ(exported.out, std::string(key_one) + "\n");

    auto const fresh = (dir_.path() / "new-passphrase").string();
    std::ofstream(fresh) << "a different passphrase\n";
    auto const changed = run_cli(wallet(
        {"change-passphrase", "--passphrase-file", passphrase_, "--new-passphrase-file", fresh}));
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    // A passphrase change is also how an older, cheaper file moves up to today's cost.
    auto const keystore = dir_.path() / "profile" / "data" / "keystore.json";
    EXPECT_EQ(nlohmann::json::parse(read_file(keystore))["kdf"]["n"], 262144);
    EXPECT_EQ(run_cli(wallet({"sign-message", "x", "--passphrase-file", passphrase_})).exit_code,
              1);
    EXPECT_EQ(run_cli(wallet({"sign-message", "x", "--passphrase-file", fresh})).exit_code, 0);
}

TEST_F(WalletCli, UnreachableNodeIsOneSentence) {
    auto const ip = unique_loopback_ip();
    auto const run = run_cli(
        {"wallet", "balance", address_one, "--node", ip + ":" + std::to_string(free_port(ip))});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("cannot reach the Tron node"), std::string::npos) << run.err;
}

// A real lanetorrent-devnet as a child process, fast blocks, key one funded.
class WalletOnDevnet : public WalletCli {
  protected:
    void SetUp() override {
        WalletCli::SetUp();
        auto const ip = unique_loopback_ip();
        node_ = ip + ":" + std::to_string(free_port(ip));
        solidity_ = ip + ":" + std::to_string(free_port(ip));
        devnet_ = std::make_unique<Process>(
            "devnet",
            std::vector<std::string>{LANETORRENT_DEVNET, "--listen", node_, "--solidity-listen",
                                     solidity_, "--data", (dir_.path() / "devnet").string(),
                                     "--block-interval-ms", "100", "--solidify-after", "3",
                                     "--fund", std::string(address_one) + "=100000000,5000000000"},
            dir_.path());
        auto const colon = node_.rfind(':');
        ASSERT_TRUE(
            wait_until_listening(node_.substr(0, colon), std::stoi(node_.substr(colon + 1)), 20s))
            << devnet_->stderr_text();
        import_key_one();
    }
    std::vector<std::string> on_node(std::vector<std::string> args) {
        args = wallet(std::move(args));
        args.insert(args.end(), {"--node", node_, "--solidity-node", solidity_, "--json"});
        return args;
    }
    nlohmann::json balance(char const* address) {
        auto const run = run_cli(on_node({"balance", address}));
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return nlohmann::json::parse(run.out);
    }

    std::string node_;
    std::string solidity_;
    std::unique_ptr<Process> devnet_;
};

TEST_F(WalletOnDevnet, SendConfirmsSolidifiesAndMovesBalances) {
    EXPECT_EQ(balance(address_one)["asset_units"], 5000000000);
    EXPECT_EQ(balance(address_two)["exists"], false);

    auto const sent = run_cli(on_node({"send", "--to", address_two, "--amount", "1.5",
                                       "--passphrase-file", passphrase_, "--wait", "solidified"}),
                              60s);
    ASSERT_EQ(sent.exit_code, 0) << sent.err << devnet_->stderr_text();
    auto const result = nlohmann::json::parse(sent.out);
    EXPECT_EQ(result["status"], "solidified");
    EXPECT_GT(result["block"].get<std::int64_t>(), 0);
    EXPECT_EQ(result["txID"].get<std::string>().size(), 64u);

    EXPECT_EQ(balance(address_two)["asset_units"], 1500000);
    auto const sender = balance(address_one);
    EXPECT_EQ(sender["asset_units"], 5000000000 - 1500000);
    // A transfer that creates the recipient burns the account-creation fees (0.1 + 1 TRX).
    EXPECT_EQ(sender["trx_sun"], 100000000 - result["fee_sun"].get<std::int64_t>());
    EXPECT_GT(result["fee_sun"].get<std::int64_t>(), 0);

    auto const history = run_cli(on_node({"history"}));
    ASSERT_EQ(history.exit_code, 0) << history.err;
    auto const entries = nlohmann::json::parse(history.out);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0]["txID"], result["txID"]);
    EXPECT_EQ(entries[0]["status"], "solidified");
}

TEST_F(WalletOnDevnet, InsufficientBalanceIsTheNodesReason) {
    auto const run = run_cli(on_node(
        {"send", "--to", address_two, "--amount", "9000000000", "--units", "--passphrase-file", passphrase_}));
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("CONTRACT_VALIDATE_ERROR"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("assetBalance is not sufficient"), std::string::npos) << run.err;
}

TEST_F(WalletOnDevnet, DryRunSignsWithoutBroadcasting) {
    auto const run = run_cli(on_node({"send", "--to", address_two, "--amount", "7",
                                      "--passphrase-file", passphrase_, "--dry-run"}));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto const result = nlohmann::json::parse(run.out);
    EXPECT_EQ(result["signature"].get<std::string>().size(), 130u);
    EXPECT_FALSE(result["raw_data_hex"].get<std::string>().empty());
    EXPECT_FALSE(result.contains("status"));
    EXPECT_EQ(balance(address_one)["asset_units"], 5000000000);
}

}  // namespace
}  // namespace lanetorrent::test
