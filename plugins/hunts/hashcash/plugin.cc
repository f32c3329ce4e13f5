// The hashcash hunt: finds a nonce whose BLAKE2b-256 hash of data and the
// nonce (8 bytes, little-endian) starts with `bits` zero bits. Params: data
// (text), bits (1-40), range (nonces per task, default 2^20). It plans 16
// times the expected work; each task is "from,to" and its result the first
// nonce found in decimal, or empty. A found nonce is checked with one hash.
// The outcome is the first nonce in task order and its hash's zero bits.
#include <prowl/sdk.hpp>

#include <sodium.h>

#include <charconv>
#include <string>

#include "plugins/hunts/common/params.h"
#include "plugins/hunts/hashcash/hashcash.h"

namespace {

using prowl::hunts::Params;

struct Job {
  std::string data;
  uint32_t bits = 0;
};

Job job_of(std::string_view params, uint64_t* range = nullptr) {
  std::string error;
  const auto p = Params::parse(params, &error);
  if (!p) throw prowl::InvalidInput("hashcash: " + error);
  Job job;
  const auto data = p->text("data");
  if (!data) throw prowl::InvalidInput("hashcash: param 'data' is required");
  job.data = *data;
  const auto bits = p->number("bits", std::nullopt, 1, 40, &error);
  if (!bits) throw prowl::InvalidInput("hashcash: " + error);
  job.bits = static_cast<uint32_t>(*bits);
  if (range != nullptr) {
    const auto r = p->number("range", uint64_t{1} << 20, 1024, uint64_t{1} << 40, &error);
    if (!r) throw prowl::InvalidInput("hashcash: " + error);
    *range = *r;
  }
  return job;
}

uint64_t number_of(std::string_view text, const char* what) {
  uint64_t n = 0;
  if (std::from_chars(text.data(), text.data() + text.size(), n).ec != std::errc())
    throw prowl::InvalidInput(std::string("hashcash: ") + what + " is not a number");
  return n;
}

std::span<const uint8_t> bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

class HashcashHunt : public prowl::ComputeHunt {
 public:
  static constexpr prowl_hunt_type kType = PROWL_HUNT_RESOURCE;
  static constexpr bool kChecks = true;
  explicit HashcashHunt(prowl::Host&) {
    if (sodium_init() < 0) throw prowl::Error(PROWL_ERR_INTERNAL, "hashcash: libsodium did not initialise");
  }

  void plan(std::string_view params, prowl::Input&, prowl::TaskSink& tasks) override {
    uint64_t range = 0;
    const Job job = job_of(params, &range);
    const uint64_t work = (uint64_t{1} << job.bits) * 16;
    for (uint64_t from = 0; from < work; from += range) tasks.emit(std::to_string(from) + "," + std::to_string(from + range));
  }

  void run(std::string_view params, std::span<const uint8_t> task, const prowl::TaskControl& control,
           prowl::Output& out) override {
    const Job job = job_of(params);
    const std::string_view text(reinterpret_cast<const char*>(task.data()), task.size());
    const size_t comma = text.find(',');
    if (comma == std::string_view::npos) throw prowl::InvalidInput("hashcash: a task is \"from,to\"");
    bool stopped = false;
    const auto nonce = prowl::hunts::hashcash::search(bytes(job.data), job.bits, number_of(text.substr(0, comma), "from"),
                                                      number_of(text.substr(comma + 1), "to"),
                                                      [&] { return control.should_stop(); }, &stopped);
    if (stopped) throw prowl::Error(PROWL_ERR_CLOSED, "hashcash: stopped");
    if (nonce) out.append(std::to_string(*nonce));
  }

  // A found nonce must be in the task's range and hash to enough zero bits.
  // ("Nothing found" cannot be checked cheaply; a liar saying so only costs
  // the job that range, never a wrong answer.)
  void check(std::string_view params, std::span<const uint8_t> task, std::span<const uint8_t> result) override {
    if (result.empty()) return;
    const Job job = job_of(params);
    const std::string_view t(reinterpret_cast<const char*>(task.data()), task.size());
    const size_t comma = t.find(',');
    const uint64_t nonce = number_of({reinterpret_cast<const char*>(result.data()), result.size()}, "a result");
    if (comma == std::string_view::npos || nonce < number_of(t.substr(0, comma), "from") ||
        nonce >= number_of(t.substr(comma + 1), "to"))
      throw prowl::InvalidInput("hashcash: the nonce is outside its task's range");
    if (prowl::hunts::hashcash::leading_zero_bits(bytes(job.data), nonce) < job.bits)
      throw prowl::InvalidInput("hashcash: the nonce's hash has too few zero bits");
  }

  void merge(std::string_view params, const prowl::Results& results, prowl::Output& out) override {
    const Job job = job_of(params);
    for (size_t i = 0; i < results.size(); ++i) {
      const auto r = results[i];
      if (r.empty()) continue;
      const uint64_t nonce = number_of({reinterpret_cast<const char*>(r.data()), r.size()}, "a result");
      out.append("{\"nonce\":" + std::to_string(nonce) + ",\"bits\":" +
                 std::to_string(prowl::hunts::hashcash::leading_zero_bits(bytes(job.data), nonce)) + "}");
      return;
    }
    throw prowl::Error(PROWL_ERR_NOT_FOUND, "hashcash: no nonce found in the planned range");
  }
};

}  // namespace

PROWL_PLUGIN(HashcashHunt, "hashcash", "1.0.0", "Finds a nonce whose BLAKE2b hash of data and nonce has `bits` leading zero bits");
