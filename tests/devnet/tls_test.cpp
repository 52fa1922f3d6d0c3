// The wallet's --tls against a devnet serving TLS, with a throwaway CA made by the openssl CLI at
// test time: a trusted certificate for the address works, a certificate for another host name or
// from an unknown CA fails with a sentence that says so.
#include <cstdlib>
#include <fstream>

#include "devnet_fixture.hpp"
#include "tron/client.hpp"
#include "tron/node_error_text.hpp"

namespace lanetorrent::devnet::test {
namespace {

namespace fs = std::filesystem;

std::string read_text(fs::path const& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

class TlsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        endpoints_ = unique_endpoints();
        ip_ = endpoints_.wallet.substr(0, endpoints_.wallet.rfind(':'));
        ASSERT_TRUE(make_ca("ca"));
        ASSERT_TRUE(make_ca("stranger-ca"));
        ASSERT_TRUE(make_certificate("good", "ca", "IP:" + ip_ + ",DNS:localhost"));
        ASSERT_TRUE(make_certificate("wrong-name", "ca", "DNS:not-this-node.test"));
        ASSERT_TRUE(make_certificate("untrusted", "stranger-ca", "IP:" + ip_ + ",DNS:localhost"));
    }

    bool openssl(std::string const& arguments) {
        std::string const command =
            "cd '" + dir_.path().string() + "' && openssl " + arguments + " >>openssl.log 2>&1";
        bool const ok = std::system(command.c_str()) == 0;
        if (!ok) ADD_FAILURE() << command << "\n" << read_text(dir_.path() / "openssl.log");
        return ok;
    }
    bool make_ca(std::string const& name) {
        return openssl(
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name +
            ".key -out " + name + ".pem -days 2 -subj /CN=" + name);
    }
    bool make_certificate(std::string const& name, std::string const& ca,
                          std::string const& alt_names) {
        std::ofstream(dir_.path() / (name + ".ext")) << "subjectAltName=" << alt_names << "\n";
        return openssl("req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
                       name + ".key -out " + name + ".csr -subj /CN=devnet") &&
               openssl("x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
                       ".key -CAcreateserial -days 2 -out " + name + ".pem -extfile " + name +
                       ".ext");
    }

    void start_node(std::string const& certificate) {
        auto config = test_config(dir_, endpoints_);
        config.data_dir = dir_.path() / ("data-" + certificate);
        config.tls_certificate_chain = read_text(dir_.path() / (certificate + ".pem"));
        config.tls_private_key = read_text(dir_.path() / (certificate + ".key"));
        auto node = Node::start(config);
        ASSERT_TRUE(node.ok()) << node.error();
        node_ = std::move(node).value();
    }

    tron::NodeConfig client_config() const {
        tron::NodeConfig config;
        config.wallet_address = endpoints_.wallet;
        config.solidity_address = endpoints_.solidity;
        config.tls = true;
        config.ca_file = (dir_.path() / "ca.pem").string();
        config.attempts = 1;
        config.deadline = std::chrono::seconds(5);
        return config;
    }

    // The sentence a user sees when the head block cannot be read.
    std::string head_error(tron::NodeConfig const& config) {
        tron::TronClient client(config);
        auto const head = client.head_block();
        if (head) return "no error";
        // The sentence, then gRPC's own words for a failure report.
        return tron::plain_node_error(head.failure(), config) + "\n  [" + head.failure().message +
               "]";
    }

    lanetorrent::test::TempDir dir_{"devnet-tls"};
    Endpoints endpoints_;
    std::string ip_;
    std::unique_ptr<Node> node_;
};

TEST_F(TlsTest, ASendOverTlsSucceeds) {
    start_node("good");
    tron::TronClient client(client_config());
    auto const head = client.head_block();
    ASSERT_TRUE(head) << head.failure().message;
    auto transaction = signed_transfer(key(1), key(1).address(), key(2).address(), 42, *head);
    auto const sent = client.broadcast(transaction);
    ASSERT_TRUE(sent) << sent.failure().message;
    EXPECT_EQ(*sent, tron::BroadcastOutcome::accepted);
    auto const balances = client.balances(key(2).address());
    ASSERT_TRUE(balances && *balances);
    EXPECT_EQ((*balances)->assets.at("1002000"), 1'000'000'042);
    // The solidity service is behind the same certificate.
    auto const solid = client.transaction_status(tron::transaction_id(transaction), true);
    EXPECT_TRUE(solid) << solid.failure().message;
}

TEST_F(TlsTest, ACertificateForAnotherHostNameFailsClearly) {
    start_node("wrong-name");
    auto const error = head_error(client_config());
    EXPECT_NE(error.find("cannot reach the Tron node at " + endpoints_.wallet), std::string::npos)
        << error;
    EXPECT_NE(error.find("certificate is not for " + ip_), std::string::npos) << error;
}

TEST_F(TlsTest, AnUntrustedCertificateFailsClearly) {
    start_node("untrusted");
    auto const error = head_error(client_config());
    EXPECT_NE(error.find("cannot reach the Tron node at " + endpoints_.wallet), std::string::npos)
        << error;
    EXPECT_NE(error.find("certificate is not signed by a trusted CA"), std::string::npos) << error;

    // Trusting the node's CA fixes it.
    auto trusting = client_config();
    trusting.ca_file = (dir_.path() / "stranger-ca.pem").string();
    EXPECT_TRUE(head_error(trusting).starts_with("no error"));
}

TEST_F(TlsTest, AnUnreadableCaFileIsNamed) {
    start_node("good");
    auto config = client_config();
    config.ca_file = (dir_.path() / "missing.pem").string();
    auto const error = head_error(config);
    EXPECT_NE(error.find("--ca-file: cannot read " + config.ca_file), std::string::npos) << error;
    config.ca_file = (dir_.path() / "good.ext").string();
    EXPECT_NE(head_error(config).find("holds no PEM certificate"), std::string::npos);
}

TEST_F(TlsTest, TlsAgainstAPlaintextNodeSaysSo) {
    auto config = test_config(dir_, endpoints_);
    auto node = Node::start(config);
    ASSERT_TRUE(node.ok()) << node.error();
    node_ = std::move(node).value();
    auto const error = head_error(client_config());
    EXPECT_NE(error.find("it does not speak TLS"), std::string::npos) << error;
}

TEST_F(TlsTest, PlaintextAgainstTlsFailsWithoutHanging) {
    start_node("good");
    auto config = client_config();
    config.tls = false;
    auto const error = head_error(config);
    EXPECT_NE(error.find("cannot reach the Tron node at " + endpoints_.wallet), std::string::npos)
        << error;
}

}  // namespace
}  // namespace lanetorrent::devnet::test
