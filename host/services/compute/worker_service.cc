#include "host/services/compute/worker_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "host/base/log/log.h"
#include "host/services/compute/channel.h"
#include "host/services/compute/internal/bytes.h"
#include "host/swarm/swarm.h"

namespace prowl::compute {
namespace asio = boost::asio;
using internal::all_zero;
using internal::as_bytes;
using internal::as_string;
using internal::same_bytes;

class WorkerService::Impl : public std::enable_shared_from_this<WorkerService::Impl> {
 public:
  Impl(swarm::Swarm& swarm, asio::any_io_executor executor, Executor& compute, const HuntCatalog& catalog,
       WorkerSettings settings)
      : swarm_(swarm), executor_(executor), compute_(compute), catalog_(catalog), settings_(std::move(settings)) {
    if (settings_.slots == 0) settings_.slots = 2 * compute_.threads();
  }

  void install() {
    std::weak_ptr<Impl> weak = shared_from_this();
    swarm_.set_handler(std::string(task::kProtocol),
                       [weak](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                         if (auto self = weak.lock()) co_await self->serve(std::move(stream));
                       });
  }

  void shutdown() {
    stopped_ = true;
    for (auto& [channel, session] : sessions_) {
      for (const auto& [task_id, id] : session.running) compute_.cancel(id);
      channel->close();
    }
    sessions_.clear();
  }

  WorkerStats stats() const {
    WorkerStats s = stats_;
    s.busy = busy_;
    s.slots = settings_.slots;
    return s;
  }

 private:
  struct PendingOffer {
    task::pb::Offer offer;
    task::Assembler input;
  };
  struct Session {
    std::map<uint64_t, TaskId> running;      // task id -> executor id
    std::map<uint64_t, PendingOffer> incoming;  // offers still receiving input chunks
    bool starved = false;                     // refused as full; owed a credit
  };

  asio::awaitable<void> serve(std::shared_ptr<swarm::Stream> stream) {
    auto channel = std::make_shared<Channel>(stream, executor_, settings_.limits);
    channel->start();
    sessions_[channel];
    announce(*channel);
    try {
      while (!stopped_) {
        auto frame = co_await channel->read();
        if (!frame) break;
        handle(channel, *frame);
      }
    } catch (const std::exception& e) {
      log::get_logger("compute")->debug("task stream from {} ended: {}", channel->remote_peer().to_string(), e.what());
    }
    end_session(channel);
  }

  void announce(Channel& channel) {
    task::pb::Frame frame;
    task::pb::Announce* a = frame.mutable_announce();
    for (const auto& hunt : catalog_.list()) {
      const HuntInfo& info = hunt->info();
      task::pb::HuntRef* ref = a->add_hunts();
      ref->set_name(info.name);
      ref->set_version(info.version);
      if (!all_zero(info.library_sha256)) ref->set_library_sha256(as_string(info.library_sha256));
    }
    a->set_threads(static_cast<uint32_t>(compute_.threads()));
    a->set_free_slots(static_cast<uint32_t>(
        std::min<size_t>(settings_.slots - std::min(busy_, settings_.slots), settings_.limits.max_credit)));
    channel.send(frame);
  }

  void handle(const std::shared_ptr<Channel>& channel, task::pb::Frame& frame) {
    Session& session = sessions_[channel];
    switch (frame.body_case()) {
      case task::pb::Frame::kOffer: {
        ++stats_.offers;
        task::pb::Offer& offer = *frame.mutable_offer();
        const uint64_t id = offer.task_id();
        if (session.running.contains(id) || session.incoming.contains(id))
          throw StatusError(StatusCode::kInvalidInput, "task frame: offer of task " + std::to_string(id) + " twice");
        if (offer.input().size() == offer.input_size()) {
          std::vector<uint8_t> input(offer.input().begin(), offer.input().end());
          decide(channel, session, offer, std::move(input));
        } else {
          task::Assembler assembler(as_bytes(offer.input()), offer.input_size());
          session.incoming.emplace(id, PendingOffer{std::move(offer), std::move(assembler)});
        }
        return;
      }
      case task::pb::Frame::kChunk: {
        const task::pb::Chunk& c = frame.chunk();
        auto it = session.incoming.find(c.task_id());
        if (it == session.incoming.end())
          throw StatusError(StatusCode::kInvalidInput, "task frame: chunk of unknown task " + std::to_string(c.task_id()));
        if (Status s = it->second.input.add(c.offset(), as_bytes(c.data())); !s.ok()) throw StatusError(std::move(s));
        if (!it->second.input.complete()) return;
        PendingOffer pending = std::move(it->second);
        session.incoming.erase(it);
        decide(channel, session, pending.offer, pending.input.take());
        return;
      }
      case task::pb::Frame::kCancel: {
        auto it = session.running.find(frame.cancel().task_id());
        if (it != session.running.end()) compute_.cancel(it->second);
        return;
      }
      default:
        throw StatusError(StatusCode::kInvalidInput,
                          "task frame: a worker takes offers, chunks and cancels, not frame " +
                              std::to_string(static_cast<int>(frame.body_case())));
    }
  }

  void decline(Channel& channel, uint64_t id, task::pb::DeclineReason reason, std::string detail) {
    ++stats_.declined;
    task::pb::Frame frame;
    task::pb::Decline* d = frame.mutable_decline();
    d->set_task_id(id);
    d->set_reason(reason);
    d->set_detail(std::move(detail));
    channel.send(frame);
  }

  void decide(const std::shared_ptr<Channel>& channel, Session& session, const task::pb::Offer& offer,
              std::vector<uint8_t> input) {
    const uint64_t id = offer.task_id();
    const task::pb::HuntRef& wanted = offer.hunt();
    std::shared_ptr<Hunt> hunt = catalog_.find(wanted.name());
    if (!hunt) return decline(*channel, id, task::pb::DECLINE_UNKNOWN_HUNT, "no hunt '" + wanted.name() + "' installed here");
    const HuntInfo& info = hunt->info();
    if (info.version != wanted.version())
      return decline(*channel, id, task::pb::DECLINE_VERSION_MISMATCH,
                     "have " + info.name + " " + info.version + ", offered " + wanted.version());
    if (!wanted.library_sha256().empty() && !same_bytes(as_bytes(wanted.library_sha256()), info.library_sha256))
      return decline(*channel, id, task::pb::DECLINE_VERSION_MISMATCH,
                     info.name + " " + info.version + " here is another build (library hash differs)");
    if (settings_.refuse && settings_.refuse(channel->remote_peer()))
      return decline(*channel, id, task::pb::DECLINE_QUARANTINED, "this host does not take work from you now");
    if (busy_ >= settings_.slots) {
      session.starved = true;
      return decline(*channel, id, task::pb::DECLINE_FULL,
                     std::to_string(busy_) + " of " + std::to_string(settings_.slots) + " slots busy");
    }
    TaskOptions options;
    options.priority = static_cast<Priority>(offer.priority());
    options.deadline = std::chrono::milliseconds(offer.deadline_ms());
    options.max_output_bytes = static_cast<size_t>(std::min<uint64_t>(offer.max_result_bytes(), settings_.limits.max_result_bytes));
    std::weak_ptr<Impl> weak = shared_from_this();
    std::weak_ptr<Channel> weak_channel = channel;
    TaskId executor_id = 0;
    const Status submitted = compute_.submit(
        [hunt, params = offer.params(), input = std::move(input)](TaskContext& ctx) {
          return hunt->run(params, input, ctx);
        },
        options,
        [weak, weak_channel, id](TaskResult result) {
          if (auto self = weak.lock()) self->finished(weak_channel.lock(), id, std::move(result));
        },
        &executor_id);
    if (!submitted.ok()) {
      session.starved = true;
      return decline(*channel, id, task::pb::DECLINE_FULL, submitted.message());
    }
    ++busy_;
    ++stats_.accepted;
    session.running.emplace(id, executor_id);
    task::pb::Frame frame;
    frame.mutable_accept()->set_task_id(id);
    channel->send(frame);
  }

  void finished(const std::shared_ptr<Channel>& channel, uint64_t id, TaskResult result) {
    --busy_;
    result.status.ok() ? ++stats_.succeeded : ++stats_.failed;
    if (channel && !channel->closed()) {
      auto it = sessions_.find(channel);
      if (it != sessions_.end()) it->second.running.erase(id);
      task::pb::Frame frame;
      task::pb::Result* r = frame.mutable_result();
      r->set_task_id(id);
      r->set_run_us(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(result.run_time).count()));
      if (result.status.ok()) {
        const task::Digest digest = task::digest_of(result.output);
        r->set_ok(true);
        r->set_result_size(result.output.size());
        r->set_digest(as_string(digest));
        channel->send_with_payload(std::move(frame), id, result.output,
                                   [](task::pb::Frame& f, std::span<const uint8_t> head) {
                                     f.mutable_result()->set_output(as_string(head));
                                   });
      } else {
        std::string text = result.status.to_string();
        if (text.size() > task::kMaxTextBytes) text.resize(task::kMaxTextBytes);
        r->set_error(text);
        channel->send(frame);
      }
    }
    grant_credit();
  }

  // A slot freed: a coordinator refused as full gets a credit back.
  void grant_credit() {
    for (auto& [channel, session] : sessions_) {
      if (!session.starved || channel->closed()) continue;
      session.starved = false;
      task::pb::Frame frame;
      frame.mutable_credit()->set_slots(1);
      channel->send(frame);
      return;
    }
  }

  void end_session(const std::shared_ptr<Channel>& channel) {
    auto it = sessions_.find(channel);
    if (it != sessions_.end()) {
      for (const auto& [task_id, id] : it->second.running) compute_.cancel(id);
      sessions_.erase(it);
    }
    channel->close();
  }

  swarm::Swarm& swarm_;
  asio::any_io_executor executor_;
  Executor& compute_;
  const HuntCatalog& catalog_;
  WorkerSettings settings_;
  std::map<std::shared_ptr<Channel>, Session> sessions_;
  size_t busy_ = 0;
  bool stopped_ = false;
  WorkerStats stats_;
};

WorkerService::WorkerService(swarm::Swarm& swarm, asio::any_io_executor executor, Executor& compute,
                             const HuntCatalog& catalog, WorkerSettings settings)
    : impl_(std::make_shared<Impl>(swarm, executor, compute, catalog, std::move(settings))) {}

WorkerService::~WorkerService() { impl_->shutdown(); }

void WorkerService::install() { impl_->install(); }

WorkerStats WorkerService::stats() const { return impl_->stats(); }

}  // namespace prowl::compute
