#include "engine/handshake_bounds.hpp"

#include <libtorrent/bdecode.hpp>
#include <libtorrent/error_code.hpp>
#include <libtorrent/peer_connection_handle.hpp>

namespace lanetorrent {
namespace {

class HandshakeBoundsPeer final : public lt::peer_plugin {
  public:
    explicit HandshakeBoundsPeer(lt::peer_connection_handle pc) : pc_(std::move(pc)) {}

    lt::string_view type() const override { return "lanetorrent_handshake_bounds"; }

    bool on_extension_handshake(lt::bdecode_node const& handshake) override {
        auto const bytes = static_cast<std::size_t>(handshake.data_section().size());
        auto const name = static_cast<std::size_t>(handshake.dict_find_string_value("v").size());
        if (!extended_handshake_acceptable(bytes, name)) {
            pc_.disconnect(lt::errors::packet_too_large, lt::operation_t::bittorrent,
                           lt::peer_connection_interface::peer_error);
        }
        return false;  // nothing more to look at on this connection
    }

  private:
    lt::peer_connection_handle pc_;
};

class HandshakeBoundsTorrent final : public lt::torrent_plugin {
  public:
    std::shared_ptr<lt::peer_plugin> new_connection(lt::peer_connection_handle const& pc) override {
        return std::make_shared<HandshakeBoundsPeer>(pc);
    }
};

class HandshakeBounds final : public lt::plugin {
  public:
    std::shared_ptr<lt::torrent_plugin> new_torrent(lt::torrent_handle const&,
                                                    lt::client_data_t) override {
        return std::make_shared<HandshakeBoundsTorrent>();
    }
};

}  // namespace

bool extended_handshake_acceptable(std::size_t handshake_bytes, std::size_t client_name_bytes) {
    return handshake_bytes <= max_extended_handshake_bytes &&
           client_name_bytes <= max_peer_client_name_bytes;
}

std::shared_ptr<lt::plugin> make_handshake_bounds_plugin() {
    return std::make_shared<HandshakeBounds>();
}

}  // namespace lanetorrent
