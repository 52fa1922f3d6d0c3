#include "engine/seed_marking.hpp"

#include <chrono>
#include <libtorrent/error_code.hpp>
#include <libtorrent/peer_connection_handle.hpp>
#include <optional>

namespace lanetorrent {
namespace {

// A peer that says it is upload-only but never sends which pieces it has is dropped after this
// anyway.
constexpr auto max_wait_for_pieces = std::chrono::seconds(10);

class SeedMarkingPeer final : public lt::peer_plugin {
  public:
    explicit SeedMarkingPeer(lt::peer_connection_handle pc) : pc_(std::move(pc)) {}

    lt::string_view type() const override { return "lanetorrent_seed_marking"; }

    // Returning false lets libtorrent read the message as usual (and then ask can_disconnect
    // again).
    bool on_bitfield(lt::bitfield const&) override { return pieces_known(); }
    bool on_have_all() override { return pieces_known(); }
    bool on_have_none() override { return pieces_known(); }

    bool can_disconnect(lt::error_code const& ec) override {
        if (pieces_known_ || !closed_as_redundant(ec)) return true;
        if (!deferred_since_) {
            deferred_since_ = lt::clock_type::now();
            deferred_because_ = ec;
        }
        return false;
    }

    void tick() override {
        if (deferred_since_ && !pieces_known_ && !pc_.is_disconnecting() &&
            lt::clock_type::now() - *deferred_since_ > max_wait_for_pieces) {
            pc_.disconnect(deferred_because_, lt::operation_t::bittorrent);
        }
    }

  private:
    bool pieces_known() {
        pieces_known_ = true;
        return false;
    }

    lt::peer_connection_handle pc_;
    bool pieces_known_ = false;
    std::optional<lt::time_point> deferred_since_;
    lt::error_code deferred_because_;
};

class SeedMarkingTorrent final : public lt::torrent_plugin {
  public:
    std::shared_ptr<lt::peer_plugin> new_connection(lt::peer_connection_handle const& pc) override {
        return std::make_shared<SeedMarkingPeer>(pc);
    }
};

class SeedMarking final : public lt::plugin {
  public:
    std::shared_ptr<lt::torrent_plugin> new_torrent(lt::torrent_handle const&,
                                                    lt::client_data_t) override {
        return std::make_shared<SeedMarkingTorrent>();
    }
};

}  // namespace

bool closed_as_redundant(lt::error_code const& why) {
    return why == lt::errors::upload_upload_connection ||
           why == lt::errors::uninteresting_upload_peer || why == lt::errors::torrent_finished;
}

std::shared_ptr<lt::plugin> make_seed_marking_plugin() {
    return std::make_shared<SeedMarking>();
}

}  // namespace lanetorrent
