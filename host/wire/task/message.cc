#include "host/wire/task/message.h"

#include <sodium.h>

#include <fstream>
#include <string>

#include "host/base/encoding/utf8.h"
#include "host/base/identity/sodium_init.h"

namespace prowl::task {
namespace {

Status bad(std::string what) { return Status::InvalidInput("task frame: " + std::move(what)); }
Status too_big(std::string what) { return Status::Limit("task frame: " + std::move(what)); }

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

Status check_text(const std::string& text, const char* field, bool required) {
  if (required && text.empty()) return bad(std::string(field) + " is empty");
  if (text.size() > kMaxTextBytes)
    return too_big(std::string(field) + " of " + std::to_string(text.size()) + " bytes (at most " +
                   std::to_string(kMaxTextBytes) + ")");
  if (!encoding::valid_utf8(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()))) return bad(std::string(field) + " is not UTF-8");
  return Status::Ok();
}

Status check_offer(const pb::Offer& o, const Limits& limits) {
  if (o.task_id() == 0) return bad("offer without a task id");
  if (!o.has_hunt()) return bad("offer without a hunt");
  if (Status s = check_hunt(o.hunt()); !s.ok()) return s;
  if (o.params().size() > limits.max_params_bytes)
    return too_big("offer params of " + std::to_string(o.params().size()) + " bytes (at most " +
                   std::to_string(limits.max_params_bytes) + ")");
  if (o.input_size() > limits.max_input_bytes)
    return too_big("offer input of " + std::to_string(o.input_size()) + " bytes (at most " +
                   std::to_string(limits.max_input_bytes) + ")");
  if (o.input().size() > o.input_size())
    return bad("offer carries " + std::to_string(o.input().size()) + " input bytes but declares " +
               std::to_string(o.input_size()));
  if (o.priority() > 2) return bad("offer priority " + std::to_string(o.priority()) + " (0 to 2)");
  if (o.deadline_ms() == 0 || o.deadline_ms() > limits.max_deadline_ms)
    return bad("offer deadline of " + std::to_string(o.deadline_ms()) + " ms (1 to " +
               std::to_string(limits.max_deadline_ms) + ")");
  if (o.max_result_bytes() == 0 || o.max_result_bytes() > limits.max_result_bytes)
    return too_big("offer result limit of " + std::to_string(o.max_result_bytes()) + " bytes (1 to " +
                   std::to_string(limits.max_result_bytes) + ")");
  return Status::Ok();
}

Status check_result(const pb::Result& r, const Limits& limits) {
  if (r.task_id() == 0) return bad("result without a task id");
  if (r.ok()) {
    if (r.digest().size() != kDigestBytes)
      return bad("result digest of " + std::to_string(r.digest().size()) + " bytes (SHA-256: 32)");
    if (r.result_size() > limits.max_result_bytes)
      return too_big("result of " + std::to_string(r.result_size()) + " bytes (at most " +
                     std::to_string(limits.max_result_bytes) + ")");
    if (r.output().size() > r.result_size())
      return bad("result carries " + std::to_string(r.output().size()) + " bytes but declares " +
                 std::to_string(r.result_size()));
    if (!r.error().empty()) return bad("a successful result with an error text");
    return Status::Ok();
  }
  if (!r.output().empty() || r.result_size() != 0 || !r.digest().empty()) return bad("a failed result with output");
  return check_text(r.error(), "result error", true);
}

}  // namespace

Status check_hunt(const pb::HuntRef& hunt) {
  const std::string& name = hunt.name();
  if (name.empty() || name.size() > kMaxHuntNameBytes)
    return bad("hunt name of " + std::to_string(name.size()) + " bytes (1 to " + std::to_string(kMaxHuntNameBytes) +
               ")");
  for (char c : name) {
    if (!name_char(c)) return bad("hunt name has a character outside [a-z0-9._-]");
  }
  const std::string& version = hunt.version();
  if (version.empty() || version.size() > kMaxHuntVersionBytes)
    return bad("hunt version of " + std::to_string(version.size()) + " bytes (1 to " +
               std::to_string(kMaxHuntVersionBytes) + ")");
  for (char c : version) {
    if (c <= 0x20 || c >= 0x7f) return bad("hunt version has a character that is not printable ASCII");
  }
  if (!hunt.library_sha256().empty() && hunt.library_sha256().size() != kDigestBytes)
    return bad("hunt library hash of " + std::to_string(hunt.library_sha256().size()) + " bytes (SHA-256: 32)");
  return Status::Ok();
}

Status decode_frame(std::span<const uint8_t> bytes, const Limits& limits, pb::Frame* frame) {
  if (bytes.size() > limits.max_frame_bytes)
    return too_big("of " + std::to_string(bytes.size()) + " bytes (at most " + std::to_string(limits.max_frame_bytes) +
                   ")");
  if (!frame->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return bad("not a task frame");
  switch (frame->body_case()) {
    case pb::Frame::kAnnounce: {
      const pb::Announce& a = frame->announce();
      if (static_cast<size_t>(a.hunts_size()) > limits.max_hunts)
        return too_big("announce of " + std::to_string(a.hunts_size()) + " hunts (at most " +
                       std::to_string(limits.max_hunts) + ")");
      for (const pb::HuntRef& hunt : a.hunts()) {
        if (Status s = check_hunt(hunt); !s.ok()) return s;
      }
      if (a.free_slots() > limits.max_credit)
        return too_big("announce of " + std::to_string(a.free_slots()) + " free slots (at most " +
                       std::to_string(limits.max_credit) + ")");
      return Status::Ok();
    }
    case pb::Frame::kCredit:
      if (frame->credit().slots() == 0 || frame->credit().slots() > limits.max_credit)
        return bad("credit of " + std::to_string(frame->credit().slots()) + " slots (1 to " +
                   std::to_string(limits.max_credit) + ")");
      return Status::Ok();
    case pb::Frame::kOffer:
      return check_offer(frame->offer(), limits);
    case pb::Frame::kAccept:
      return frame->accept().task_id() == 0 ? bad("accept without a task id") : Status::Ok();
    case pb::Frame::kDecline: {
      const pb::Decline& d = frame->decline();
      if (d.task_id() == 0) return bad("decline without a task id");
      if (d.reason() == pb::DECLINE_UNSPECIFIED || !pb::DeclineReason_IsValid(d.reason()))
        return bad("decline without a known reason");
      return check_text(d.detail(), "decline detail", false);
    }
    case pb::Frame::kCancel:
      return frame->cancel().task_id() == 0 ? bad("cancel without a task id") : Status::Ok();
    case pb::Frame::kChunk: {
      const pb::Chunk& c = frame->chunk();
      if (c.task_id() == 0) return bad("chunk without a task id");
      if (c.data().empty()) return bad("empty chunk");
      if (c.data().size() > limits.max_chunk_bytes)
        return too_big("chunk of " + std::to_string(c.data().size()) + " bytes (at most " +
                       std::to_string(limits.max_chunk_bytes) + ")");
      return Status::Ok();
    }
    case pb::Frame::kResult:
      return check_result(frame->result(), limits);
    case pb::Frame::BODY_NOT_SET:
      break;
  }
  return bad("empty frame");
}

std::vector<uint8_t> encode_frame(const pb::Frame& frame) {
  std::vector<uint8_t> out(frame.ByteSizeLong());
  frame.SerializeToArray(out.data(), static_cast<int>(out.size()));
  return out;
}

Digest digest_of(std::span<const uint8_t> bytes) {
  identity::ensure_sodium_initialized();
  Digest digest;
  crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
  return digest;
}

Status digest_file(const std::filesystem::path& file, Digest* out) {
  identity::ensure_sodium_initialized();
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::NotFound("cannot read " + file.string());
    std::vector<char> buffer(1 << 20);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      crypto_hash_sha256_update(&state, reinterpret_cast<const uint8_t*>(buffer.data()),
                                static_cast<unsigned long long>(in.gcount()));
    }
    if (in.bad()) return Status::Internal("reading " + file.string() + " failed");
  }
  crypto_hash_sha256_final(&state, out->data());
  return Status::Ok();
}

Assembler::Assembler(std::span<const uint8_t> inline_bytes, uint64_t total)
    : bytes_(inline_bytes.begin(), inline_bytes.end()), total_(total) {}

Status Assembler::add(uint64_t offset, std::span<const uint8_t> data) {
  if (offset != bytes_.size())
    return Status::InvalidInput("chunk at offset " + std::to_string(offset) + ", expected " +
                                std::to_string(bytes_.size()));
  if (data.size() > total_ - bytes_.size())
    return Status::Limit("chunk of " + std::to_string(data.size()) + " bytes passes the declared " +
                         std::to_string(total_) + " bytes");
  bytes_.insert(bytes_.end(), data.begin(), data.end());
  return Status::Ok();
}

}  // namespace prowl::task
