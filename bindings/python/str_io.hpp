// CPython strs in and out of the core, and the one path by which every entry
// point (the call shortcut, Normalizer.normalize, normalize_batch) normalizes a
// str. Strs are read from their own storage (PEP 393) and built straight into
// it; unchanged text returns the very same str object.
#pragma once

#include <pybind11/pybind11.h>

#include <arnorm/arnorm.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace arnorm_py {

// Below this many characters the GIL stays held: releasing and taking it
// back costs more than the work, and no other thread could use the gap.
constexpr std::size_t kReleaseGilAbove = 4096;
// A thread keeps buffers up to this size between calls.
constexpr std::size_t kKeepBytes = std::size_t{4} << 20;

// A str's text as UTF-8: an ASCII str is its own UTF-8, others are converted
// into a buffer this object keeps between calls. Unlike
// PyUnicode_AsUTF8AndSize it leaves no UTF-8 copy on the str, and it needs no
// GIL: a str is immutable and the caller holds a reference.
class StrUtf8 {
 public:
  // False when the str holds a surrogate (its index: surrogate()). A str of
  // Python 3.11's legacy API must have been made ready (ready()).
  bool read(PyObject* s);
  std::string_view view() const { return view_; }
  Py_ssize_t surrogate() const { return surrogate_; }
  // Gives back a buffer grown for one large text (the view is invalid afterwards).
  void trim();
  // Makes a str of the legacy API readable (GIL held); false with an error set.
  static bool ready(PyObject* s);

 private:
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::string_view view_;
  Py_ssize_t surrogate_ = -1;
};

// The UTF-8 of a str (GIL held): a ValueError at a surrogate, naming `where`.
std::string_view utf8_of(PyObject* s, StrUtf8& buffer, const char* where);
std::string utf8_copy(const pybind11::str& s, const char* where);
std::string surrogate_message(const char* where, Py_ssize_t index);
[[noreturn]] void type_error(const char* where, pybind11::handle obj, const char* expected);

// New strs (GIL held; null with an error set).
PyObject* str_from_utf8(std::string_view text);
PyObject* str_from_ucs2(std::u16string_view units);  // units hold no surrogate
// `text` itself when `out` equals `in` (a plain str if `text` is a subclass).
pybind11::object str_result(const std::string& out, PyObject* text, std::string_view in);

// Where normalize_str put a str's result.
struct StrResult {
  enum Form : char { unchanged, bytes, units, surrogate, out_of_memory } form = unchanged;
  std::size_t begin = 0, end = 0;  // in StrBuffers::bytes or ::units
  Py_ssize_t surrogate_at = -1;
};

// The buffers results go to: a thread's for single calls, a chunk's for a batch.
struct StrBuffers {
  StrUtf8 input;
  std::string bytes;
  std::u16string units;
  void clear() { bytes.clear(), units.clear(); }
  void trim();
};

// Normalizes a ready str, appending its result to `o`: the two-byte strs
// (most Arabic text) as UCS-2, the others as UTF-8. Needs no GIL; never throws.
StrResult normalize_str(const arnorm::Normalizer& n, PyObject* s, StrBuffers& o) noexcept;
// The result as a str (GIL held; null with an error set). `where` names the
// caller in a surrogate's ValueError.
PyObject* make_str(PyObject* s, const StrResult& r, const StrBuffers& o, const char* where);
// Both, for one str, with the GIL released for long ones: what every
// single-str call does.
PyObject* normalize_one(const arnorm::Normalizer& n, PyObject* s, const char* where);

// Byte offsets in valid UTF-8 to code point indices, for monotone queries.
class CodePointCounter {
 public:
  explicit CodePointCounter(std::string_view s) : s_(s) {}
  std::size_t at(std::size_t byte) {
    if (byte < byte_) byte_ = 0, index_ = 0;
    for (; byte_ < byte && byte_ < s_.size(); ++byte_)
      if ((static_cast<unsigned char>(s_[byte_]) & 0xC0) != 0x80) ++index_;
    return index_;
  }

 private:
  std::string_view s_;
  std::size_t byte_ = 0, index_ = 0;
};

}  // namespace arnorm_py
