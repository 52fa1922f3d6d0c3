#include "app/quit_on_signal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace lanetorrent::ui {
namespace {

int pipe_fds[2] = {-1, -1};
constexpr int handled[] = {SIGTERM, SIGINT, SIGHUP};

void on_signal(int sig) {
    auto const saved = errno;
    auto const byte = static_cast<unsigned char>(sig);
    [[maybe_unused]] auto const written = ::write(pipe_fds[1], &byte, 1);
    errno = saved;
}

}  // namespace

QuitOnSignal::QuitOnSignal(QObject* parent) : QObject(parent) {
    if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) return;  // then the default handlers stay
    notifier_ = std::make_unique<QSocketNotifier>(pipe_fds[0], QSocketNotifier::Read);
    connect(notifier_.get(), &QSocketNotifier::activated, this, &QuitOnSignal::drain);
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int sig : handled) ::sigaction(sig, &action, nullptr);
}

QuitOnSignal::~QuitOnSignal() {
    if (!notifier_) return;
    for (int sig : handled) std::signal(sig, SIG_DFL);
    notifier_.reset();
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    pipe_fds[0] = pipe_fds[1] = -1;
}

void QuitOnSignal::drain() {
    unsigned char byte = 0;
    while (::read(pipe_fds[0], &byte, 1) == 1) emit received(byte);
}

}  // namespace lanetorrent::ui
