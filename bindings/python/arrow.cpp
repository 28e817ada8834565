#include "arrow.hpp"

#include <sys/mman.h>

#include <arnorm/transcode.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "parallel.hpp"

namespace py = pybind11;

// The two structs of the Arrow C data interface, as its specification lays them out.
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  ArrowSchema** children;
  ArrowSchema* dictionary;
  void (*release)(ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  ArrowArray** children;
  ArrowArray* dictionary;
  void (*release)(ArrowArray*);
  void* private_data;
};

namespace arnorm_py {
namespace {

constexpr int64_t kArrowFlagNullable = 2;

// A string or binary column as the producer lays it out (it keeps ownership).
struct InputChunk {
  std::string format;  // "u" string, "U" large_string, "z" binary, "Z" large_binary
  std::string name;
  int64_t length = 0, offset = 0, first_row = 0;  // first_row: index in the whole column
  const uint8_t* validity = nullptr;
  const void* offsets = nullptr;
  const char* data = nullptr;

  bool large() const { return format == "U" || format == "Z"; }
  bool valid(int64_t i) const { return !validity || ((validity[(offset + i) >> 3] >> ((offset + i) & 7)) & 1); }
  std::string_view row(int64_t i) const {
    int64_t j = offset + i, begin, end;
    if (large()) {
      begin = static_cast<const int64_t*>(offsets)[j], end = static_cast<const int64_t*>(offsets)[j + 1];
    } else {
      begin = static_cast<const int32_t*>(offsets)[j], end = static_cast<const int32_t*>(offsets)[j + 1];
    }
    return {data + begin, static_cast<std::size_t>(end - begin)};
  }
};

// A result buffer. Large ones ask the kernel for transparent huge pages: a fresh
// 100 MB buffer in 4 KiB pages costs 25,000 page faults, more time than
// normalizing what goes into it.
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(std::size_t bytes) : size_(bytes) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    std::size_t align = bytes >= 2 * kHuge ? kHuge : 64;
    std::size_t rounded = (std::max<std::size_t>(bytes, 1) + align - 1) / align * align;
    memory_.reset(static_cast<char*>(std::aligned_alloc(align, rounded)));
    if (!memory_) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (align == kHuge) madvise(memory_.get(), rounded, MADV_HUGEPAGE);  // a hint: failure is harmless
#endif
  }
  char* data() const { return memory_.get(); }
  template <class T>
  T* as() const {
    return reinterpret_cast<T*>(memory_.get());
  }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> memory_;
  std::size_t size_ = 0;
};

// A column arnorm built; the exported ArrowArrays share it until released.
struct OwnedColumn {
  std::string format, name;
  int64_t length = 0, null_count = 0;
  Buffer validity;  // none when no row is null
  Buffer offsets;   // int32 or int64 offsets, or the float64 values of a "g" column
  Buffer data;
};

// Where a chunk's results go while its parts run on the threads. Rows are
// written at their own index, so parts never share a byte.
struct ChunkResult {
  const InputChunk* chunk = nullptr;
  Buffer staging;  // each part's bytes, at the start of the part's own region
  Buffer ends;     // int64 per row + 1: where the row's bytes end, relative to its part until rebased
  Buffer valid;    // one byte per row
  Buffer scores;   // float64 per row, for lookups
};

// The rows [begin, end) of one chunk, transformed by one task.
struct Part {
  ChunkResult* result = nullptr;
  int64_t begin = 0, end = 0;
  std::size_t region = 0, capacity = 0;  // the part's place in the staging buffer
  std::size_t size = 0;                  // bytes it produced
  std::string overflow;                  // the bytes, when more than its region holds
  bool overflowed = false;
  int64_t failed_row = -1;  // the first invalid row, chunk-relative
  std::size_t failed_position = 0;
};

const char* arrow_type_name(std::string_view format) {
  static const std::pair<std::string_view, const char*> names[] = {
      {"n", "null"},    {"b", "bool"},        {"c", "int8"},    {"C", "uint8"},        {"s", "int16"},
      {"S", "uint16"},  {"i", "int32"},       {"I", "uint32"},  {"l", "int64"},        {"L", "uint64"},
      {"e", "float16"}, {"f", "float32"},     {"g", "float64"}, {"vu", "string_view"}, {"vz", "binary_view"},
      {"+l", "list"},   {"+L", "large_list"}, {"+s", "struct"}, {"tdD", "date32"},     {"tdm", "date64"}};
  for (const auto& [f, name] : names)
    if (format == f) return name;
  return nullptr;
}

// The producer's buffers are trusted as Arrow trusts them, except for the
// offsets: one cheap pass makes sure no row starts before the data or ends
// before it starts (the data buffer's size is not part of the interface).
template <class Offset>
bool offsets_ascend(const Offset* o, int64_t from, int64_t rows) {
  if (o[from] < 0) return false;
  for (int64_t i = from; i < from + rows; ++i)
    if (o[i + 1] < o[i]) return false;
  return true;
}

bool offsets_ascend(const InputChunk& c) {
  return c.large() ? offsets_ascend(static_cast<const int64_t*>(c.offsets), c.offset, c.length)
                   : offsets_ascend(static_cast<const int32_t*>(c.offsets), c.offset, c.length);
}

InputChunk read_chunk(py::handle pair, const char* where) {
  if (!PyTuple_Check(pair.ptr()) || PyTuple_GET_SIZE(pair.ptr()) != 2)
    throw py::type_error(std::string(where) + ": expected (schema, array) capsules from __arrow_c_array__");
  auto* schema = static_cast<ArrowSchema*>(PyCapsule_GetPointer(PyTuple_GET_ITEM(pair.ptr(), 0), "arrow_schema"));
  if (!schema) throw py::error_already_set();
  auto* array = static_cast<ArrowArray*>(PyCapsule_GetPointer(PyTuple_GET_ITEM(pair.ptr(), 1), "arrow_array"));
  if (!array) throw py::error_already_set();
  InputChunk c;
  c.format = schema->format ? schema->format : "";
  c.name = schema->name ? schema->name : "";
  if (schema->dictionary) {
    throw py::type_error(
        std::string(where) +
        ": expected a string or binary column, got a dictionary-encoded one (cast it to string first)");
  }
  if (c.format != "u" && c.format != "U" && c.format != "z" && c.format != "Z") {
    const char* known = arrow_type_name(c.format);
    throw py::type_error(std::string(where) + ": expected a string or binary column, got " +
                         (known ? known : "Arrow format '" + c.format + "'"));
  }
  if (array->n_buffers != 3) throw py::value_error(std::string(where) + ": a string array must have 3 buffers");
  c.length = array->length;
  c.offset = array->offset;
  c.validity = static_cast<const uint8_t*>(array->buffers[0]);
  c.offsets = array->buffers[1];
  c.data = static_cast<const char*>(array->buffers[2]);
  if (c.length < 0 || c.offset < 0) throw py::value_error(std::string(where) + ": negative array length or offset");
  if (c.length > 0 && !c.offsets) throw py::value_error(std::string(where) + ": the array has no offsets buffer");
  if (c.length > 0 && !offsets_ascend(c)) {
    throw py::value_error(std::string(where) +
                          ": the array's offsets are negative or go backwards (a malformed array; pyarrow's "
                          "validate(full=True) tells more)");
  }
  return c;
}

void run_part(Part& p, RowFunction fn, const void* context, bool with_scores) {
  ChunkResult& r = *p.result;
  const InputChunk& c = *r.chunk;
  // Reused for every part a thread runs: a fresh buffer per part would cost page faults.
  thread_local std::string scratch;
  scratch.clear();
  int64_t* ends = r.ends.as<int64_t>() + 1;
  uint8_t* valid = r.valid.as<uint8_t>();
  double* scores = with_scores ? r.scores.as<double>() : nullptr;
  for (int64_t i = p.begin; i < p.end; ++i) {
    double score = 0;
    RowResult row;
    if (!c.valid(i)) {
      row.outcome = RowResult::null;
    } else {
      row = fn(context, c.row(i), scratch, &score);
      if (row.outcome == RowResult::invalid_utf8) {
        p.failed_row = i, p.failed_position = row.position;
        return;
      }
    }
    ends[i] = static_cast<int64_t>(scratch.size());
    valid[i] = row.outcome == RowResult::ok;
    if (scores) scores[i] = row.outcome == RowResult::ok ? score : 0.0;
  }
  p.size = scratch.size();
  if (p.size <= p.capacity) {
    if (p.size) std::memcpy(r.staging.data() + p.region, scratch.data(), p.size);
  } else {
    p.overflow = scratch, p.overflowed = true;
  }
  if (scratch.capacity() > (std::size_t{8} << 20)) std::string().swap(scratch);
}

[[noreturn]] void raise_invalid_row(const InputChunk& c, int64_t row, std::size_t position) {
  std::string_view bytes = c.row(row);
  std::string reason = "invalid UTF-8 in row " + std::to_string(c.first_row + row) + " (arnorm)";
  PyObject* exc = PyUnicodeDecodeError_Create("utf-8", bytes.data(), static_cast<Py_ssize_t>(bytes.size()),
                                              static_cast<Py_ssize_t>(position),
                                              static_cast<Py_ssize_t>(position + arnorm::utf8_error_length(bytes, position)),
                                              reason.c_str());
  if (exc) {
    PyErr_SetObject(PyExc_UnicodeDecodeError, exc);
    Py_DECREF(exc);
  }
  throw py::error_already_set();
}

void fill_validity(OwnedColumn& col, const ChunkResult& r) {
  const uint8_t* valid = r.valid.as<uint8_t>();
  col.null_count = static_cast<int64_t>(std::count(valid, valid + col.length, 0));
  if (col.null_count == 0) return;
  std::size_t bytes = static_cast<std::size_t>((col.length + 7) / 8);
  col.validity = Buffer(bytes);
  uint8_t* bits = col.validity.as<uint8_t>();
  std::memset(bits, 0, bytes);
  for (int64_t row = 0; row < col.length; ++row)
    if (valid[row]) bits[row >> 3] |= static_cast<uint8_t>(1u << (row & 7));
}

// Joins a chunk's parts into one column: each part's bytes moved down to
// close the gaps between regions (in place, unless a part overflowed its
// region), and each part's row ends rebased to offsets.
std::shared_ptr<OwnedColumn> merge_text(ChunkResult& r, Part* parts, std::size_t n_parts, OutputText text,
                                        const char* where) {
  const InputChunk& c = *r.chunk;
  auto col = std::make_shared<OwnedColumn>();
  col->format = text == OutputText::utf8 ? (c.large() ? "U" : "u") : c.format;
  col->name = c.name;
  col->length = c.length;
  fill_validity(*col, r);
  std::size_t total = 0;
  bool in_place = true;
  for (std::size_t k = 0; k < n_parts; ++k) total += parts[k].size, in_place &= !parts[k].overflowed;
  bool large = col->format == "U" || col->format == "Z";
  if (!large && total > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
    throw py::value_error(std::string(where) + ": the result of a chunk exceeds 2 GiB, more than a " +
                          (col->format == "u" ? "string" : "binary") + " column holds; use the large_" +
                          (col->format == "u" ? "string" : "binary") + " type");
  }
  Buffer data = in_place ? std::move(r.staging) : Buffer(total);
  std::size_t written = 0;
  int64_t* ends = r.ends.as<int64_t>();
  ends[0] = 0;
  for (std::size_t k = 0; k < n_parts; ++k) {
    const Part& p = parts[k];
    const char* from = p.overflowed ? p.overflow.data() : (in_place ? data.data() : r.staging.data()) + p.region;
    if (p.size) std::memmove(data.data() + written, from, p.size);  // regions only move down
    for (int64_t i = p.begin; i < p.end; ++i) ends[i + 1] += static_cast<int64_t>(written);
    written += p.size;
  }
  col->data = std::move(data);
  if (large) {
    col->offsets = std::move(r.ends);
  } else {
    col->offsets = Buffer(sizeof(int32_t) * static_cast<std::size_t>(c.length + 1));
    std::copy(ends, ends + c.length + 1, col->offsets.as<int32_t>());
  }
  return col;
}

std::shared_ptr<OwnedColumn> merge_scores(ChunkResult& r) {
  auto col = std::make_shared<OwnedColumn>();
  col->format = "g";
  col->name = "score";
  col->length = r.chunk->length;
  fill_validity(*col, r);
  col->offsets = std::move(r.scores);
  return col;
}

// ------------------------------------------------------------------ export --

struct SchemaHolder {
  std::string format, name;
};

struct ArrayHolder {
  std::shared_ptr<const OwnedColumn> column;
  const void* buffers[3];
};

void release_schema(ArrowSchema* s) {
  delete static_cast<SchemaHolder*>(s->private_data);
  s->release = nullptr;
}

void release_array(ArrowArray* a) {
  delete static_cast<ArrayHolder*>(a->private_data);
  a->release = nullptr;
}

// A capsule frees its struct, releasing it first unless a consumer moved it out.
void schema_capsule_destructor(PyObject* capsule) {
  auto* s = static_cast<ArrowSchema*>(PyCapsule_GetPointer(capsule, "arrow_schema"));
  if (!s) return PyErr_Clear();
  if (s->release) s->release(s);
  delete s;
}

void array_capsule_destructor(PyObject* capsule) {
  auto* a = static_cast<ArrowArray*>(PyCapsule_GetPointer(capsule, "arrow_array"));
  if (!a) return PyErr_Clear();
  if (a->release) a->release(a);
  delete a;
}

// A column built by arnorm, handed to Arrow consumers through __arrow_c_array__
// (pyarrow.array(column) imports it without a copy). It may be exported many times.
class ArrowColumn {
 public:
  explicit ArrowColumn(std::shared_ptr<const OwnedColumn> column) : column_(std::move(column)) {}

  py::tuple export_capsules(py::object /*requested_schema*/) const {
    auto* schema_holder = new SchemaHolder{column_->format, column_->name};
    auto* schema = new ArrowSchema{schema_holder->format.c_str(),
                                   schema_holder->name.c_str(),
                                   nullptr,
                                   kArrowFlagNullable,
                                   0,
                                   nullptr,
                                   nullptr,
                                   release_schema,
                                   schema_holder};
    py::capsule schema_capsule(schema, "arrow_schema", schema_capsule_destructor);

    auto* holder = new ArrayHolder{column_, {}};
    const OwnedColumn& c = *column_;
    holder->buffers[0] = c.validity.data();  // null when no row is null
    holder->buffers[1] = c.offsets.data();
    holder->buffers[2] = c.data.data();
    int64_t n_buffers = c.format == "g" ? 2 : 3;
    auto* array = new ArrowArray{c.length,        c.null_count, 0,       n_buffers,     0,
                                 holder->buffers, nullptr,      nullptr, release_array, holder};
    py::capsule array_capsule(array, "arrow_array", array_capsule_destructor);
    return py::make_tuple(schema_capsule, array_capsule);
  }

  int64_t length() const { return column_->length; }
  int64_t null_count() const { return column_->null_count; }
  const std::string& format() const { return column_->format; }

 private:
  std::shared_ptr<const OwnedColumn> column_;
};

}  // namespace

py::list map_string_chunks(py::handle chunks, int workers, const char* where, RowFunction fn, const void* context,
                           OutputText text, bool with_scores) {
  std::vector<InputChunk> inputs;
  int64_t first_row = 0;
  for (py::handle pair : chunks) {
    inputs.push_back(read_chunk(pair, where));
    inputs.back().first_row = first_row;
    first_row += inputs.back().length;
  }
  // Parts of about 1 MiB of input: small enough to stay in cache and for the
  // threads to share out evenly, large enough that a part costs nothing.
  constexpr std::size_t kPartBytes = std::size_t{1} << 20;
  constexpr int64_t kPartRows = 65536;  // bounds a part of empty or null rows
  std::vector<ChunkResult> results(inputs.size());
  std::vector<Part> parts;
  std::vector<std::size_t> first_part;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const InputChunk& c = inputs[k];
    ChunkResult& r = results[k];
    r.chunk = &c;
    first_part.push_back(parts.size());
    std::size_t staging = 0;
    int64_t begin = 0;
    do {
      const char* start = c.length ? c.row(begin).data() : nullptr;
      int64_t end = begin;
      while (end < c.length && end - begin < kPartRows &&
             static_cast<std::size_t>(c.row(end).data() - start) < kPartBytes)
        ++end;
      std::size_t bytes =
          end > begin ? static_cast<std::size_t>(c.row(end - 1).data() + c.row(end - 1).size() - start) : 0;
      Part p;
      p.result = &r;
      p.begin = begin, p.end = end;
      p.region = staging;
      p.capacity = bytes + bytes / 8 + 64;  // most rules shrink text; the rest overflow
      staging += p.capacity;
      parts.push_back(std::move(p));
      begin = end;
    } while (begin < c.length);
    std::size_t rows = static_cast<std::size_t>(c.length);
    r.staging = Buffer(staging);
    r.ends = Buffer(sizeof(int64_t) * (rows + 1));
    r.valid = Buffer(rows);
    if (with_scores) r.scores = Buffer(sizeof(double) * rows);
  }
  first_part.push_back(parts.size());
  std::atomic<bool> out_of_memory{false};
  run_tasks(parts.size(), workers, where, [&](std::size_t i) {
    try {
      run_part(parts[i], fn, context, with_scores);
    } catch (const std::bad_alloc&) {
      out_of_memory = true;
    }
  });
  if (out_of_memory) throw std::bad_alloc();

  for (const Part& p : parts)  // parts run in row order: the first failure is the first bad row
    if (p.failed_row >= 0) raise_invalid_row(*p.result->chunk, p.failed_row, p.failed_position);
  py::list result;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    Part* chunk_parts = parts.data() + first_part[k];
    std::size_t n_parts = first_part[k + 1] - first_part[k];
    py::object texts = py::cast(ArrowColumn(merge_text(results[k], chunk_parts, n_parts, text, where)));
    if (with_scores)
      result.append(py::make_tuple(texts, py::cast(ArrowColumn(merge_scores(results[k])))));
    else
      result.append(texts);
  }
  return result;
}

void register_arrow(py::module_& m) {
  py::class_<ArrowColumn>(m, "ArrowColumn", "A column built by arnorm, exported through the Arrow C data interface")
      .def("__arrow_c_array__", &ArrowColumn::export_capsules, py::arg("requested_schema") = py::none())
      .def("__len__", &ArrowColumn::length)
      .def_property_readonly("null_count", &ArrowColumn::null_count)
      .def_property_readonly("format", &ArrowColumn::format);
}

}  // namespace arnorm_py
