#include "str_io.hpp"

#include <algorithm>
#include <arnorm/transcode.hpp>
#include <cstring>
#include <new>

#include "parallel.hpp"

namespace py = pybind11;

namespace arnorm_py {

bool StrUtf8::read(PyObject* s) {
  const auto units = static_cast<std::size_t>(PyUnicode_GET_LENGTH(s));
  if (PyUnicode_IS_ASCII(s)) {
    view_ = {static_cast<const char*>(PyUnicode_DATA(s)), units};
    return true;
  }
  const int kind = PyUnicode_KIND(s);
  const std::size_t need = units * (kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4);
  if (need > capacity_) buffer_.reset(new char[capacity_ = std::max(need, 2 * capacity_)]);
  arnorm::Converted c;
  if (kind == PyUnicode_1BYTE_KIND)
    c.count = arnorm::latin1_to_utf8(PyUnicode_1BYTE_DATA(s), units, buffer_.get());
  else if (kind == PyUnicode_2BYTE_KIND)
    c = arnorm::utf16_to_utf8(reinterpret_cast<const char16_t*>(PyUnicode_2BYTE_DATA(s)), units, buffer_.get(),
                              arnorm::Surrogates::lone);
  else
    c = arnorm::utf32_to_utf8(reinterpret_cast<const char32_t*>(PyUnicode_4BYTE_DATA(s)), units, buffer_.get());
  if (!c.ok()) return surrogate_ = static_cast<Py_ssize_t>(c.count), false;
  view_ = {buffer_.get(), c.count};
  return true;
}

void StrUtf8::trim() {
  if (capacity_ > kKeepBytes) buffer_.reset(), capacity_ = 0, view_ = {};
}

bool StrUtf8::ready(PyObject* s) {
#if PY_VERSION_HEX < 0x030C0000
  return PyUnicode_READY(s) == 0;
#else
  (void)s;
  return true;
#endif
}

std::string surrogate_message(const char* where, Py_ssize_t index) {
  return std::string(where) + ": the string holds a lone surrogate at index " + std::to_string(index) +
         ", which is not valid text";
}

std::string_view utf8_of(PyObject* s, StrUtf8& buffer, const char* where) {
  if (!StrUtf8::ready(s)) throw py::error_already_set();
  if (!buffer.read(s)) throw py::value_error(surrogate_message(where, buffer.surrogate()));
  return buffer.view();
}

std::string utf8_copy(const py::str& s, const char* where) {
  StrUtf8 buffer;
  return std::string(utf8_of(s.ptr(), buffer, where));
}

void type_error(const char* where, py::handle obj, const char* expected) {
  throw py::type_error(std::string(where) + ": expected " + expected + ", got " + Py_TYPE(obj.ptr())->tp_name);
}

namespace {

// Fills a new str's storage, without the GIL when it is large (the str is
// not shared yet).
template <class Fill>
void fill_str(std::size_t size, Fill fill) {
  if (size > kReleaseGilAbove) {
    ReleaseGil release;
    fill();
  } else {
    fill();
  }
}

}  // namespace

PyObject* str_from_utf8(std::string_view text) {
  const arnorm::Utf8Shape shape = arnorm::valid_utf8_shape(text);
  const unsigned b = shape.widest_byte;
  // The largest byte bounds the widest character: C2/C3 leads fit one byte.
  const Py_UCS4 maxchar = b < 0x80 ? 0x7F : b < 0xC4 ? 0xFF : b < 0xF0 ? 0xFFFF : 0x10FFFF;
  PyObject* s = PyUnicode_New(static_cast<Py_ssize_t>(shape.code_points), maxchar);
  if (!s) return nullptr;
  const int kind = PyUnicode_KIND(s);
  void* data = PyUnicode_DATA(s);
  fill_str(text.size(), [&] {
    if (kind == PyUnicode_1BYTE_KIND)
      arnorm::valid_utf8_to_latin1(text, static_cast<Py_UCS1*>(data));
    else if (kind == PyUnicode_2BYTE_KIND)
      arnorm::valid_utf8_to_utf16(text, reinterpret_cast<char16_t*>(data));
    else
      arnorm::valid_utf8_to_utf32(text, reinterpret_cast<char32_t*>(data));
  });
  return s;
}

PyObject* str_from_ucs2(std::u16string_view units) {
  unsigned bits = 0;  // the OR of the units bounds the widest
  for (char16_t u : units) {
    bits |= u;
    if (u >= 0x100) break;  // two bytes a character: nothing to learn from the rest
  }
  PyObject* s = PyUnicode_New(static_cast<Py_ssize_t>(units.size()), bits < 0x80 ? 0x7F : bits < 0x100 ? 0xFF : 0xFFFF);
  if (!s) return nullptr;
  fill_str(units.size(), [&] {
    if (PyUnicode_KIND(s) == PyUnicode_2BYTE_KIND)
      std::memcpy(PyUnicode_2BYTE_DATA(s), units.data(), 2 * units.size());
    else
      std::copy(units.begin(), units.end(), PyUnicode_1BYTE_DATA(s));
  });
  return s;
}

py::object str_result(const std::string& out, PyObject* text, std::string_view in) {
  PyObject* r = out == in ? PyUnicode_FromObject(text) : str_from_utf8(out);
  if (!r) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

void StrBuffers::trim() {
  input.trim();
  if (bytes.capacity() > kKeepBytes) std::string().swap(bytes);
  if (units.capacity() > kKeepBytes / 2) std::u16string().swap(units);
}

StrResult normalize_str(const arnorm::Normalizer& n, PyObject* s, StrBuffers& o) noexcept {
  if (PyUnicode_IS_ASCII(s) && !n.changes_ascii()) return {};
  const auto length = static_cast<std::size_t>(PyUnicode_GET_LENGTH(s));
  if (PyUnicode_KIND(s) == PyUnicode_2BYTE_KIND) {
    const std::u16string_view in(reinterpret_cast<const char16_t*>(PyUnicode_2BYTE_DATA(s)), length);
    const std::size_t begin = o.units.size();
    const arnorm::Result r = n.normalize_into(in, o.units, arnorm::Surrogates::lone);
    if (r.error == arnorm::Error::invalid_utf16) return {StrResult::surrogate, 0, 0, static_cast<Py_ssize_t>(r.position)};
    if (!r.ok()) return {StrResult::out_of_memory};
    const std::size_t end = o.units.size();
    if (end - begin == length && std::memcmp(o.units.data() + begin, in.data(), 2 * length) == 0) {
      o.units.resize(begin);
      return {};
    }
    return {StrResult::units, begin, end};
  }
  try {
    if (!o.input.read(s)) return {StrResult::surrogate, 0, 0, o.input.surrogate()};
  } catch (const std::bad_alloc&) {
    return {StrResult::out_of_memory};
  }
  const std::size_t begin = o.bytes.size();
  if (!n.normalize_into(o.input.view(), o.bytes).ok()) return {StrResult::out_of_memory};  // valid UTF-8 in
  if (std::string_view(o.bytes).substr(begin) == o.input.view()) {
    o.bytes.resize(begin);
    return {};
  }
  return {StrResult::bytes, begin, o.bytes.size()};
}

PyObject* make_str(PyObject* s, const StrResult& r, const StrBuffers& o, const char* where) {
  switch (r.form) {
    case StrResult::unchanged:
      return PyUnicode_FromObject(s);  // a plain str when s is a subclass
    case StrResult::bytes:
      return str_from_utf8(std::string_view(o.bytes).substr(r.begin, r.end - r.begin));
    case StrResult::units:
      return str_from_ucs2(std::u16string_view(o.units).substr(r.begin, r.end - r.begin));
    case StrResult::surrogate:
      PyErr_SetString(PyExc_ValueError, surrogate_message(where, r.surrogate_at).c_str());
      return nullptr;
    case StrResult::out_of_memory:
      break;
  }
  return PyErr_NoMemory();
}

PyObject* normalize_one(const arnorm::Normalizer& n, PyObject* s, const char* where) {
  if (!StrUtf8::ready(s)) return nullptr;
  // The thread's buffers, unless a call on this thread is using them (making
  // a str can run a finalizer that normalizes too).
  thread_local StrBuffers kept;
  thread_local bool busy = false;
  StrBuffers local;
  StrBuffers& o = busy ? local : kept;
  const bool was_busy = busy;
  busy = true;
  o.clear();
  StrResult r;
  if (static_cast<std::size_t>(PyUnicode_GET_LENGTH(s)) > kReleaseGilAbove) {
    ReleaseGil release;
    r = normalize_str(n, s, o);
  } else {
    r = normalize_str(n, s, o);
  }
  PyObject* result = make_str(s, r, o, where);
  o.trim();
  busy = was_busy;
  return result;
}

}  // namespace arnorm_py
