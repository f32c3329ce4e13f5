#include "host/services/compute/hunt.h"

namespace prowl::compute {

const char* hunt_type_name(HuntType type) {
  switch (type) {
    case HuntType::kDiscovery: return "discovery";
    case HuntType::kResource: return "resource";
    case HuntType::kSecurity: return "security";
    case HuntType::kIntelligence: return "intelligence";
  }
  return "unknown";
}

Status HuntCatalog::add(std::shared_ptr<Hunt> hunt) {
  const std::string name = hunt->info().name;
  if (hunts_.contains(name)) return Status::InvalidInput("a hunt named '" + name + "' is already loaded");
  hunts_.emplace(name, std::move(hunt));
  return Status::Ok();
}

std::shared_ptr<Hunt> HuntCatalog::find(std::string_view name) const {
  auto it = hunts_.find(name);
  return it == hunts_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Hunt>> HuntCatalog::list() const {
  std::vector<std::shared_ptr<Hunt>> out;
  for (const auto& [name, hunt] : hunts_) out.push_back(hunt);
  return out;
}

}  // namespace prowl::compute
