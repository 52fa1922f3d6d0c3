// Result<T>: a value or a one-sentence error, returned across every module's public API instead
// of throwing. libtorrent reports most failures through error codes and alerts; this keeps callers
// (CLI, GUI) on one pattern and makes "what went wrong" a sentence a user can read.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace lanetorrent {

struct Error {
    std::string message;
};

// E may be a richer error type (with a `message` member) where callers must tell failures apart,
// such as the Tron node's response codes.
template <class T, class E = Error>
class [[nodiscard]] Result {
  public:
    Result(T value) : state_(std::move(value)) {}
    Result(E error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<T>(state_); }
    T const& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    T& operator*() & { return value(); }
    T const& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    T const* operator->() const { return &value(); }

    std::string const& error() const { return std::get<E>(state_).message; }
    E const& failure() const { return std::get<E>(state_); }

  private:
    std::variant<T, E> state_;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

}  // namespace lanetorrent
