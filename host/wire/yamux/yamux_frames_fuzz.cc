// Fuzzes a server Session with arbitrary peer bytes, fed in varying slices,
// while an application opens, writes, consumes, closes and pings. Aborts when
// the session's own output is not well-formed Yamux or data exceeds a window.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <variant>

#include "host/wire/yamux/frame_decoder.h"
#include "host/wire/yamux/session.h"

namespace {

using namespace prowl::yamux;

// Everything the session emits must decode as whole, known, version-0 frames.
void check_output(const std::vector<uint8_t>& out) {
  FrameDecoder decoder;
  std::span<const uint8_t> in(out);
  bool at_frame_end = true;
  while (!in.empty()) {
    const auto item = decoder.next(in);
    if (item.kind == FrameDecoder::Item::Kind::kHeader &&
        (item.header.version != kVersion || !is_known_type(item.header.type)))
      std::abort();
    at_frame_end = item.frame_end;
  }
  if (!at_frame_end) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr uint32_t kMaxWindow = 1 << 20;
  std::chrono::steady_clock::time_point now{};
  Config config;
  config.max_streams = 32;
  config.max_window = kMaxWindow;
  config.max_frame_payload = 1000;
  config.max_ack_backlog = 8;
  config.max_events = 512;
  config.ping_interval = std::chrono::milliseconds(3);
  config.clock = [&now] { return now; };
  Session session(Role::kServer, config);
  session.open_stream();  // stream 2, which the fuzzed peer may ACK, feed or reset

  static const uint8_t kReply[1500] = {};
  const size_t slices[] = {1, 5, 12, 13, 64, 4096};
  std::map<StreamId, size_t> unconsumed;
  size_t round = 0;
  for (size_t off = 0; off < size && !session.failed(); ++round) {
    const size_t n = std::min(slices[round % std::size(slices)], size - off);
    session.on_bytes({data + off, n});
    off += n;
    now += std::chrono::milliseconds(1);
    for (auto& event : session.take_events()) {
      if (auto* o = std::get_if<StreamOpened>(&event)) {
        session.write(o->id, {kReply, 100});
      } else if (auto* d = std::get_if<StreamData>(&event)) {
        size_t& held = unconsumed[d->id];
        held += d->bytes.size();
        if (held > kMaxWindow) std::abort();  // more than any window ever granted
        if (round % 3 != 0) {  // sometimes hold data back to exercise backpressure
          session.consume(d->id, held);
          held = 0;
        }
        session.write(d->id, {kReply, std::min(d->bytes.size(), sizeof kReply)});
      } else if (auto* f = std::get_if<StreamFinished>(&event)) {
        session.close_write(f->id);
      } else if (auto* w = std::get_if<WritableAgain>(&event)) {
        session.write(w->id, {kReply, sizeof kReply});
      }
    }
    if (round % 7 == 6) {
      const OpenResult r = session.open_stream();
      if (r.ok()) session.write(r.id, {kReply, sizeof kReply});
    }
    if (round % 11 == 10) session.ping();
    check_output(session.pending_output());
    session.pending_output().clear();
  }
  return 0;
}
