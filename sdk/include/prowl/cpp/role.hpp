// prowl/cpp/role.hpp: role (PROWL_KIND_ROLE) and hunt (PROWL_KIND_HUNT)
// plugins in C++. Every method runs on the host's event loop and must not
// block it: hand long work to a thread of your own and report back through
// the host services, which may be called from any thread.
#ifndef PROWL_CPP_ROLE_HPP_
#define PROWL_CPP_ROLE_HPP_

#include <prowl/cpp/core.hpp>

#include <type_traits>

namespace prowl {

/// One event a role hears; its views are valid during the call only.
struct RoleEvent {
  prowl_role_event_type type;
  std::string_view peer;  ///< the peer id the event is about
};

/// Base of role plugins (alpha, scout, sentinel, ...).
class Role {
 public:
  virtual ~Role() = default;
  /// Called once after the host's services are up; register here. Throw to refuse.
  virtual void start() {}
  /// Called once before the host stops; the host then ends the role's registrations.
  virtual void stop() noexcept {}
  /// Called with each event between start and stop; unknown types are ignored.
  virtual void on_event(const RoleEvent& /*event*/) {}
};

/// Base of hunt plugins (discovery, resource, ...): a lifecycle for now.
class Hunt {
 public:
  virtual ~Hunt() = default;
  /// As Role::start.
  virtual void start() {}
  /// As Role::stop.
  virtual void stop() noexcept {}
};

namespace detail {

template <class T>
  requires std::is_base_of_v<Role, T>
struct Trampolines<T> {
  static constexpr uint32_t kKind = PROWL_KIND_ROLE;
  static int32_t start(void* self, prowl_error* err) noexcept {
    return guarded(err, [&] { object_of<T>(self).start(); });
  }
  static void stop(void* self) noexcept { object_of<T>(self).stop(); }
  static void on_event(void* self, const prowl_role_event* e) noexcept {
    prowl_error ignored{};
    guarded(&ignored, [&] {
      object_of<T>(self).on_event(RoleEvent{static_cast<prowl_role_event_type>(e->type), e->peer});
    });
  }
  static inline const prowl_role_vtable vtable{sizeof(prowl_role_vtable), &start, &stop, &on_event};
};

template <class T>
  requires std::is_base_of_v<Hunt, T>
struct Trampolines<T> {
  static constexpr uint32_t kKind = PROWL_KIND_HUNT;
  static int32_t start(void* self, prowl_error* err) noexcept {
    return guarded(err, [&] { object_of<T>(self).start(); });
  }
  static void stop(void* self) noexcept { object_of<T>(self).stop(); }
  static inline const prowl_hunt_vtable vtable{sizeof(prowl_hunt_vtable), &start, &stop};
};

}  // namespace detail
}  // namespace prowl

#endif  // PROWL_CPP_ROLE_HPP_
