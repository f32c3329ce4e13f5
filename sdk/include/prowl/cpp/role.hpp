// prowl/cpp/role.hpp: role (PROWL_KIND_ROLE) and hunt (PROWL_KIND_HUNT)
// plugins in C++. start, stop and on_event run on the host's event loop and
// must not block it: hand long work to a thread of your own and report back
// through the host services, which may be called from any thread. A compute
// hunt's plan, run, check and merge run on the host's compute threads
// instead (see ComputeHunt).
#ifndef PROWL_CPP_ROLE_HPP_
#define PROWL_CPP_ROLE_HPP_

#include <prowl/cpp/core.hpp>

#include <span>
#include <string_view>
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

/// Base of hunt plugins. A hunt declares its type with a static member
/// `static constexpr prowl_hunt_type kType = PROWL_HUNT_...;` (default:
/// resource).
class Hunt {
 public:
  static constexpr prowl_hunt_type kType = PROWL_HUNT_RESOURCE;
  virtual ~Hunt() = default;
  /// As Role::start.
  virtual void start() {}
  /// As Role::stop.
  virtual void stop() noexcept {}
};

/// A running task's controls (valid during run()).
class TaskControl {
 public:
  explicit TaskControl(const prowl_task_control* c) noexcept : c_(c) {}
  /// True once the task was cancelled or passed its deadline: return soon.
  bool should_stop() const noexcept { return c_->should_stop(c_->ctx) != 0; }

 private:
  const prowl_task_control* c_;
};

/// A job's input file, read in order (valid during plan()).
class Input {
 public:
  explicit Input(const prowl_input* in) noexcept : in_(in) {}
  /// Bytes in all (0: the job has no input).
  uint64_t size() const noexcept { return in_->size; }
  /// Reads up to buffer.size() bytes; returns how many (0: the end). Throws Error.
  size_t read(std::span<uint8_t> buffer) {
    size_t got = 0;
    detail::call([&](prowl_error* err) { return in_->read(in_->ctx, buffer.data(), buffer.size(), &got, err); });
    return got;
  }

 private:
  const prowl_input* in_;
};

/// Where plan() puts tasks (valid during plan()).
class TaskSink {
 public:
  explicit TaskSink(const prowl_task_sink* sink) noexcept : sink_(sink) {}
  /// Adds one task. Throws Error when the host refuses more.
  void emit(std::span<const uint8_t> task) {
    detail::call([&](prowl_error* err) { return sink_->emit(sink_->ctx, task.data(), task.size(), err); });
  }
  void emit(std::string_view task) { emit({reinterpret_cast<const uint8_t*>(task.data()), task.size()}); }

 private:
  const prowl_task_sink* sink_;
};

/// A job's accepted results, in task order (valid during merge()).
class Results {
 public:
  explicit Results(const prowl_results* r) noexcept : r_(r) {}
  size_t size() const noexcept { return r_->count; }
  std::span<const uint8_t> operator[](size_t index) const noexcept {
    const uint8_t* data = nullptr;
    size_t len = 0;
    r_->get(r_->ctx, index, &data, &len);
    return {data, len};
  }

 private:
  const prowl_results* r_;
};

/// Base of compute hunts: jobs split into tasks that hosts run for one
/// another. plan, run, check and merge run on the host's compute threads,
/// concurrently (implementations must be thread-safe), never on the event
/// loop; they may take as long as the work needs but must not wait on the
/// network. run() must be deterministic. A hunt with a cheap check sets
/// `static constexpr bool kChecks = true;` and overrides check(). Throw
/// InvalidInput naming a bad parameter; any exception fails only its call.
class ComputeHunt : public Hunt {
 public:
  static constexpr bool kChecks = false;
  /// Splits a job with `params` (a JSON object of strings) and `input` into tasks.
  virtual void plan(std::string_view params, Input& input, TaskSink& tasks) = 0;
  /// Runs one task, writing its result to `out`.
  virtual void run(std::string_view params, std::span<const uint8_t> task, const TaskControl& control,
                   Output& out) = 0;
  /// Throws unless `result` is a valid result of `task` (only with kChecks).
  virtual void check(std::string_view /*params*/, std::span<const uint8_t> /*task*/,
                     std::span<const uint8_t> /*result*/) {
    throw Error(PROWL_ERR_UNSUPPORTED, "this hunt has no check");
  }
  /// Merges the results, in task order, into the job's outcome.
  virtual void merge(std::string_view params, const Results& results, Output& out) = 0;
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
  static int32_t plan(void* self, const char* params, const prowl_input* in, const prowl_task_sink* sink,
                      prowl_error* err) noexcept {
    return guarded(err, [&] {
      Input input(in);
      TaskSink tasks(sink);
      object_of<T>(self).plan(params, input, tasks);
    });
  }
  static int32_t run(void* self, const char* params, const uint8_t* task, size_t len, const prowl_task_control* c,
                     prowl_writer* w, prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).run(params, {task, len}, TaskControl(c), out);
    });
  }
  static int32_t check(void* self, const char* params, const uint8_t* task, size_t task_len, const uint8_t* result,
                       size_t result_len, prowl_error* err) noexcept {
    return guarded(err, [&] { object_of<T>(self).check(params, {task, task_len}, {result, result_len}); });
  }
  static int32_t merge(void* self, const char* params, const prowl_results* r, prowl_writer* w,
                       prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).merge(params, Results(r), out);
    });
  }
  static constexpr prowl_hunt_vtable make() noexcept {
    if constexpr (std::is_base_of_v<ComputeHunt, T>) {
      return {sizeof(prowl_hunt_vtable), &start, &stop, static_cast<uint32_t>(T::kType), &plan, &run,
              T::kChecks ? &check : nullptr, &merge};
    } else {
      return {sizeof(prowl_hunt_vtable), &start, &stop, static_cast<uint32_t>(T::kType), nullptr, nullptr, nullptr,
              nullptr};
    }
  }
  static inline const prowl_hunt_vtable vtable = make();
};

}  // namespace detail
}  // namespace prowl

#endif  // PROWL_CPP_ROLE_HPP_
