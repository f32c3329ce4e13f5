#include "host/base/sqlite/sqlite.h"

#include <sqlite3.h>

#include <stdexcept>

namespace prowl::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  const char* file = sqlite3_db_filename(db, "main");
  throw std::runtime_error("database " + std::string(file ? file : "") + ": " + what + ": " + sqlite3_errmsg(db));
}

}  // namespace

void execute(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string why = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error(why);
  }
}

sqlite3* open(const std::filesystem::path& file, std::string_view what, int schema_version, const char* schema,
              std::string* error) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  auto refuse = [&](const std::string& why) -> sqlite3* {
    if (error) *error = std::string(what) + " " + file.string() + ": " + why;
    sqlite3_close(db);
    return nullptr;
  };
  if (rc != SQLITE_OK) return refuse(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  try {
    sqlite3_busy_timeout(db, 2000);
    execute(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    int version = 0;
    {
      Statement query(db, "PRAGMA user_version");
      if (query.step()) version = static_cast<int>(query.integer(0));
      while (query.step()) {
      }
    }
    if (version > schema_version) {
      return refuse("schema version " + std::to_string(version) + " is newer than " + std::to_string(schema_version) +
                    ", which this prowl understands");
    }
    if (version < schema_version) {
      execute(db, "BEGIN IMMEDIATE");
      try {
        execute(db, schema);
        execute(db, ("PRAGMA user_version = " + std::to_string(schema_version)).c_str());
        execute(db, "COMMIT");
      } catch (const std::exception&) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
      }
    }
    return db;
  } catch (const std::exception& e) {
    return refuse(e.what());
  }
}

Statement::Statement(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    fail(db, std::string("preparing '") + sql + "'");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::span<const uint8_t> blob) {
  static const uint8_t kEmpty = 0;  // a null pointer would bind SQL NULL
  check(sqlite3_bind_blob(stmt_, index, blob.empty() ? &kEmpty : blob.data(), static_cast<int>(blob.size()),
                          SQLITE_STATIC));
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_real(int index, double value) {
  check(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view text) {
  check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (rc != SQLITE_DONE) fail(db_, std::string("running '") + sqlite3_sql(stmt_) + "'");
  return false;
}

void Statement::run() {
  while (step()) {
  }
}

std::vector<uint8_t> Statement::blob(int column) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  return data == nullptr ? std::vector<uint8_t>{} : std::vector<uint8_t>(data, data + size);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
}

void Statement::check(int rc) {
  if (rc != SQLITE_OK) fail(db_, "binding a parameter");
}

Transaction::Transaction(Statement& begin, Statement& commit, Statement& rollback)
    : commit_(commit), rollback_(rollback) {
  begin.run();
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      rollback_.run();
    } catch (const std::exception&) {
      // The original failure is already propagating; SQLite rolls back on close.
    }
  }
}

void Transaction::commit() {
  commit_.run();
  done_ = true;
}

}  // namespace prowl::sqlite
