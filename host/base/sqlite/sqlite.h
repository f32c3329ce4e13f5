// Thin helpers over SQLite's C API for the host's stores (the DHT's state,
// reputation, job journals): opening a file with WAL and a schema version,
// prepared statements reset after each use, and transactions that roll back
// unless committed. Errors throw std::runtime_error naming the file, what
// was being done and SQLite's message.
//
// Thread safety: a connection and its statements belong to one thread (or
// one executor) at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace prowl::sqlite {

/// Opens or creates `file` (its directory must exist), switches it to WAL
/// (synchronous NORMAL, a 2 s busy timeout) and, when its user_version is
/// below `schema_version`, runs `schema` and sets the version, in one
/// transaction. Returns null with *error "<what> <file>: <why>" when the
/// file cannot be opened or was written by a newer schema. The caller owns
/// the connection: close it with sqlite3_close after finalizing statements.
sqlite3* open(const std::filesystem::path& file, std::string_view what, int schema_version, const char* schema,
              std::string* error);

/// Runs `sql` (one or more statements without parameters). Throws.
void execute(sqlite3* db, const char* sql);

/// One prepared statement, reset after each use. Blob and text parameters
/// are bound without copying: they must stay alive until step() or run().
class Statement {
 public:
  /// Throws when `sql` does not prepare.
  Statement(sqlite3* db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::span<const uint8_t> blob);
  Statement& bind(int index, int64_t value);
  Statement& bind_real(int index, double value);
  Statement& bind_text(int index, std::string_view text);

  /// Advances to the next row; false when done (the statement is then reset).
  bool step();
  /// Runs a statement that returns no rows.
  void run();

  std::vector<uint8_t> blob(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;

 private:
  void check(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN at construction; ROLLBACK at destruction unless commit() ran.
class Transaction {
 public:
  Transaction(Statement& begin, Statement& commit, Statement& rollback);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Statement& commit_;
  Statement& rollback_;
  bool done_ = false;
};

}  // namespace prowl::sqlite
