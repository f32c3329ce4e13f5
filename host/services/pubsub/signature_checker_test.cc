#include "host/services/pubsub/signature_checker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "host/base/identity/test_keys.h"
#include "host/wire/pubsub/message_signing.h"

namespace prowl::pubsub_service {
namespace {

using identity::test_keys::key_from_fill;

std::shared_ptr<const pubsub::pb::Message> signed_message(uint8_t author, uint64_t seqno, bool forge) {
  pubsub::pb::Message m;
  m.set_topic("t");
  m.set_seqno(pubsub::encode_seqno(seqno));
  m.set_data("payload " + std::to_string(seqno));
  pubsub::sign_message(key_from_fill(author), m);
  if (forge) m.set_data("forged");
  return std::make_shared<const pubsub::pb::Message>(std::move(m));
}

// Collects results from the checker's threads.
struct Results {
  void add(std::vector<SignatureChecker::Result> batch) {
    std::lock_guard lock(mutex);
    for (auto& r : batch) by_id[r.id] = std::move(r.author);
    changed.notify_all();
  }
  bool wait_for(size_t n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), [&] { return by_id.size() >= n; });
  }
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::string, std::optional<identity::PeerId>> by_id;
};

TEST(SignatureChecker, ReportsTheAuthorOfEveryGenuineMessageAndNoneForForgeries) {
  Results results;
  SignatureChecker checker(2, [&](std::vector<SignatureChecker::Result> batch) { results.add(std::move(batch)); });
  constexpr size_t kMessages = 200;
  for (size_t i = 0; i < kMessages; ++i)
    checker.submit("m" + std::to_string(i), signed_message(static_cast<uint8_t>(1 + i % 3), i, i % 10 == 0));
  ASSERT_TRUE(results.wait_for(kMessages));
  for (size_t i = 0; i < kMessages; ++i) {
    const auto& author = results.by_id.at("m" + std::to_string(i));
    if (i % 10 == 0) {
      EXPECT_FALSE(author) << i;
    } else {
      ASSERT_TRUE(author) << i;
      EXPECT_EQ(*author, identity::test_keys::peer_from_fill(static_cast<uint8_t>(1 + i % 3)));
    }
  }
}

TEST(SignatureChecker, NothingIsDeliveredOnceClosed) {
  Results results;
  SignatureChecker checker(1, [&](std::vector<SignatureChecker::Result> batch) { results.add(std::move(batch)); });
  constexpr size_t kMessages = 2000;
  std::vector<std::shared_ptr<const pubsub::pb::Message>> messages;
  for (size_t i = 0; i < kMessages; ++i) messages.push_back(signed_message(1, i, false));
  for (size_t i = 0; i < kMessages; ++i) checker.submit("m" + std::to_string(i), messages[i]);
  checker.close();
  size_t after_close = 0;
  {
    std::lock_guard lock(results.mutex);
    after_close = results.by_id.size();
  }
  EXPECT_LT(after_close, kMessages);  // checking them all takes over 100 ms: close() cut it short
  checker.submit("late", signed_message(1, 999, false));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::lock_guard lock(results.mutex);
  EXPECT_EQ(results.by_id.size(), after_close);
}

}  // namespace
}  // namespace prowl::pubsub_service
