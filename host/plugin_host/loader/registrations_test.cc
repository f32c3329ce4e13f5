#include "host/plugin_host/loader/registrations.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace prowl::plugins {
namespace {

TEST(RegistrationsTest, CountsPerKindAndRefusesPastTheLimit) {
  Registrations table;
  auto first = table.add(RegistrationKind::kStream, 2, {});
  auto second = table.add(RegistrationKind::kStream, 2, {});
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, 0u);
  EXPECT_NE(*first, *second);
  EXPECT_FALSE(table.add(RegistrationKind::kStream, 2, {}));  // the plugin's limit
  EXPECT_TRUE(table.add(RegistrationKind::kSubscription, 1, {}));  // other kinds count apart
  EXPECT_EQ(table.count(RegistrationKind::kStream), 2u);
  EXPECT_TRUE(table.remove(*first));
  EXPECT_FALSE(table.remove(*first));
  EXPECT_TRUE(table.add(RegistrationKind::kStream, 2, {}));
}

TEST(RegistrationsTest, IdsAreUniqueAcrossTables) {
  Registrations a;
  Registrations b;
  EXPECT_NE(*a.add(RegistrationKind::kDhtCall, 1, {}), *b.add(RegistrationKind::kDhtCall, 1, {}));
}

TEST(RegistrationsTest, ReleaseAllEndsEachOnceNewestFirstButNotTheRemovedOnes) {
  Registrations table;
  std::vector<uint64_t> ended;
  auto record = [&](uint64_t id) { ended.push_back(id); };
  const uint64_t a = *table.add(RegistrationKind::kListener, 10, record);
  const uint64_t b = *table.add(RegistrationKind::kServed, 10, record);
  const uint64_t c = *table.add(RegistrationKind::kValidator, 10, record);
  table.remove(b);  // ended by itself: not released again
  table.release_all();
  EXPECT_EQ(ended, (std::vector<uint64_t>{c, a}));
  EXPECT_EQ(table.count(RegistrationKind::kListener), 0u);
  table.release_all();
  EXPECT_EQ(ended.size(), 2u);
}

TEST(RegistrationsTest, AReleaseThatThrowsDoesNotStopTheOthers) {
  Registrations table;
  int ended = 0;
  table.add(RegistrationKind::kStream, 10, [&](uint64_t) { ++ended; });
  table.add(RegistrationKind::kStream, 10, [](uint64_t) { throw std::runtime_error("broken"); });
  table.release_all();
  EXPECT_EQ(ended, 1);
}

}  // namespace
}  // namespace prowl::plugins
