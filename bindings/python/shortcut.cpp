#include "shortcut.hpp"

#include <arnorm/arnorm.hpp>
#include <cstddef>

#include "str_io.hpp"

namespace arnorm_py {

// Static types in CPython's usual form: the head set, every slot filled in at ready time.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
PyTypeObject g_shortcut_type = {PyVarObject_HEAD_INIT(nullptr, 0)};
PyTypeObject g_shortcut_method_type = {PyVarObject_HEAD_INIT(nullptr, 0)};
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace {

// A callable in front of the Python function `general` that does the common
// call, normalize(a str) with the defaults, without a Python frame (which
// costs more than normalizing a short line), and hands every other call
// to `general` unchanged. Two types: `StrShortcut(general, capsule)`, a
// module function with its Normalizer; `StrShortcutMethod(general)`, a method that
// binds like one (and is called unbound, self first, as CPython does for
// method descriptors) and reads the capsule from the instance's `_capsule`.
// Both show general's name, doc and (through __wrapped__) signature.
struct StrShortcutObject {
  PyObject_HEAD vectorcallfunc vectorcall;
  PyObject* general;
  PyObject* capsule;  // null for the method form
};

#if PY_VERSION_HEX < 0x03090000  // vectorcall was provisional in 3.8
#define Py_TPFLAGS_HAVE_VECTORCALL _Py_TPFLAGS_HAVE_VECTORCALL
#define PyObject_Vectorcall _PyObject_Vectorcall
#endif

PyObject* g_capsule_attr = nullptr;  // "_capsule", interned

PyObject* shortcut_call(PyObject* callable, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) {
  auto* self = reinterpret_cast<StrShortcutObject*>(callable);
  const Py_ssize_t text_at = self->capsule ? 0 : 1;
  if (PyVectorcall_NARGS(nargsf) != text_at + 1 || kwnames || !PyUnicode_CheckExact(args[text_at]))
    return PyObject_Vectorcall(self->general, args, nargsf, kwnames);
  PyObject* capsule =
      self->capsule ? (Py_INCREF(self->capsule), self->capsule) : PyObject_GetAttr(args[0], g_capsule_attr);
  if (!capsule) return nullptr;
  auto* n = static_cast<const arnorm::Normalizer*>(PyCapsule_GetPointer(capsule, kCapsuleName));
  PyObject* result = n ? normalize_one(*n, args[text_at], "normalize") : nullptr;
  Py_DECREF(capsule);
  return result;
}

PyObject* shortcut_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* general = nullptr;
  PyObject* capsule = Py_None;
  static const char* names[] = {"general", "capsule", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O", const_cast<char**>(names), &general, &capsule)) return nullptr;
  const bool method = type == &g_shortcut_method_type;
  if (method ? capsule != Py_None : !PyCapsule_IsValid(capsule, kCapsuleName)) {
    PyErr_SetString(PyExc_TypeError, method ? "StrShortcutMethod takes no capsule"
                                            : "StrShortcut: capsule must be a Normalizer's capsule");
    return nullptr;
  }
  auto* self = reinterpret_cast<StrShortcutObject*>(type->tp_alloc(type, 0));
  if (!self) return nullptr;
  self->vectorcall = shortcut_call;
  Py_INCREF(general);
  self->general = general;
  if (capsule != Py_None) Py_INCREF(capsule), self->capsule = capsule;
  return reinterpret_cast<PyObject*>(self);
}

int shortcut_traverse(PyObject* o, visitproc visit, void* arg) {
  auto* self = reinterpret_cast<StrShortcutObject*>(o);
  Py_VISIT(self->general);
  Py_VISIT(self->capsule);
  return 0;
}

int shortcut_clear(PyObject* o) {
  auto* self = reinterpret_cast<StrShortcutObject*>(o);
  Py_CLEAR(self->general);
  Py_CLEAR(self->capsule);
  return 0;
}

void shortcut_dealloc(PyObject* o) {
  PyObject_GC_UnTrack(o);
  shortcut_clear(o);
  Py_TYPE(o)->tp_free(o);
}

PyObject* shortcut_bind(PyObject* self, PyObject* instance, PyObject*) {
  if (!instance) return Py_INCREF(self), self;
  return PyMethod_New(self, instance);
}

// __wrapped__ is general; __doc__, __name__, __qualname__ and __module__ are general's.
PyObject* shortcut_getattr(PyObject* self, PyObject* name) {
  PyObject* general = reinterpret_cast<StrShortcutObject*>(self)->general;
  if (PyUnicode_CompareWithASCIIString(name, "__wrapped__") == 0) return Py_INCREF(general), general;
  for (const char* forwarded : {"__name__", "__qualname__", "__module__"})
    if (PyUnicode_CompareWithASCIIString(name, forwarded) == 0) return PyObject_GetAttr(general, name);
  return PyObject_GenericGetAttr(self, name);
}

// The function form is no method: like a staticmethod, it is itself wherever it is read
// (which also makes inspect and pydoc treat it as a routine).
PyObject* shortcut_self(PyObject* self, PyObject*, PyObject*) { return Py_INCREF(self), self; }

// general's doc as a data descriptor, so that pydoc (which reads __doc__ past
// tp_getattro) shows it.
PyObject* shortcut_doc(PyObject* self, void*) {
  return PyObject_GetAttrString(reinterpret_cast<StrShortcutObject*>(self)->general, "__doc__");
}
PyGetSetDef g_shortcut_getset[] = {{"__doc__", shortcut_doc, nullptr, nullptr, nullptr},
                                   {nullptr, nullptr, nullptr, nullptr, nullptr}};

// Pickled and copied by reference, as the module attribute (or class
// attribute) it is: the name is general's qualified name.
PyObject* shortcut_reduce(PyObject* self, PyObject*) {
  return PyObject_GetAttrString(reinterpret_cast<StrShortcutObject*>(self)->general, "__qualname__");
}
PyMethodDef g_shortcut_methods[] = {{"__reduce__", shortcut_reduce, METH_NOARGS, nullptr},
                                    {nullptr, nullptr, 0, nullptr}};

bool ready_shortcut_type(PyTypeObject& t, const char* name, bool method) {
  t.tp_name = name;
  t.tp_basicsize = sizeof(StrShortcutObject);
  t.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL;
  if (method)
    t.tp_flags |= Py_TPFLAGS_METHOD_DESCRIPTOR, t.tp_descr_get = shortcut_bind;
  else
    t.tp_descr_get = shortcut_self;
  t.tp_getset = g_shortcut_getset;
  t.tp_methods = g_shortcut_methods;
  t.tp_doc = "normalize(a str) without a Python frame, any other call to the function it wraps (private)";
  t.tp_vectorcall_offset = offsetof(StrShortcutObject, vectorcall);
  t.tp_call = PyVectorcall_Call;
  t.tp_new = shortcut_new;
  t.tp_dealloc = shortcut_dealloc;
  t.tp_traverse = shortcut_traverse;
  t.tp_clear = shortcut_clear;
  t.tp_getattro = shortcut_getattr;
  return PyType_Ready(&t) == 0;
}

}  // namespace

bool ready_shortcut_types() {
  g_capsule_attr = PyUnicode_InternFromString("_capsule");
  return g_capsule_attr && ready_shortcut_type(g_shortcut_type, "arnorm._arnorm.StrShortcut", false) &&
         ready_shortcut_type(g_shortcut_method_type, "arnorm._arnorm.StrShortcutMethod", true);
}

}  // namespace arnorm_py
