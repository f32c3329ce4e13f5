#include "plugins/codecs/auto/auto_codec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <vector>

#include "plugins/codecs/auto/trial_score.h"
#include "plugins/codecs/common/codec_support.h"

namespace prowl::codecs {
namespace {

constexpr const char* kLinkKey = "link_mbit_per_s";

double read_link_bytes_per_second(const Host& host) {
  const auto text = host.config(kLinkKey);
  double mbit = AutoCodec::kDefaultLinkMbitPerS;
  if (text) {
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, mbit);
    if (ec != std::errc() || ptr != end || !std::isfinite(mbit) || mbit <= 0) {
      fail(AutoCodec::kName, std::string("config plugins.auto.") + kLinkKey +
                                 " must be a positive number, got '" + *text + "'");
    }
  }
  return mbit * 1e6 / 8;
}

// CPU time of the calling thread, in seconds: unlike wall time it does not
// count the time other processes take from this one, so trials on a busy
// machine stay comparable. Candidates run on this thread (host calls are
// synchronous).
double thread_cpu_seconds() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string candidate_list() {
  std::string names;
  for (const auto& c : AutoCodec::kCandidates) {
    if (!names.empty()) names += ", ";
    names += c.codec;
  }
  return names;
}

}  // namespace

AutoCodec::AutoCodec(const Host& host)
    : host_(host), link_bytes_per_second_(read_link_bytes_per_second(host)) {}

std::string AutoCodec::compress(std::span<const uint8_t> in, int32_t level, Output& out) {
  if (level != 0) {
    fail(kName, "level " + std::to_string(level) +
                    " is not accepted: only 0, each candidate runs at its own level");
  }
  const std::vector<std::string> loaded = host_.codecs();
  const std::vector<uint8_t> sample = take_sample(in);
  const bool whole = sample.size() == in.size();
  // Room for any candidate's worst case on the sample.
  const size_t trial_limit = 2 * sample.size() + 4096;

  std::vector<TrialResult> trials;
  std::vector<std::vector<uint8_t>> outputs;  // kept only when the sample is the whole input
  for (size_t rank = 0; rank < kCandidates.size(); ++rank) {
    const Candidate& c = kCandidates[rank];
    if (std::find(loaded.begin(), loaded.end(), c.codec) == loaded.end()) continue;
    VectorWriter writer(trial_limit);
    Output trial_out(writer.writer());
    const double start = thread_cpu_seconds();
    host_.compress(std::string(c.codec), sample, c.level, trial_out);
    const double took = thread_cpu_seconds() - start;
    trials.push_back({std::string(c.codec), c.level, rank, sample.size(), writer.size(), took});
    if (whole) outputs.push_back(writer.take());
  }
  if (trials.empty()) {
    throw Error(PROWL_ERR_NOT_FOUND,
                "auto: none of the candidate codecs (" + candidate_list() + ") is loaded");
  }
  const size_t winner = pick_winner(trials, link_bytes_per_second_);
  if (whole) {
    out.append(outputs[winner].data(), outputs[winner].size());
  } else {
    host_.compress(trials[winner].codec, in, trials[winner].level, out);
  }
  return trials[winner].codec;
}

void AutoCodec::decompress(std::span<const uint8_t> /*in*/, size_t /*original_size*/,
                           Output& /*out*/) {
  throw Error(PROWL_ERR_UNSUPPORTED,
              "auto: writes no format of its own; a frame names the codec that compressed it");
}

}  // namespace prowl::codecs
