// Runs independent tasks on worker threads without the GIL, for the batch and
// column APIs. The calling thread holds the GIL on entry; it releases it, and
// wakes every 20 ms to let Python handle signals, so Ctrl-C stops the work.
#pragma once

#include <pybind11/pybind11.h>


#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace arnorm_py {

// Whether the interpreter is shutting down.
inline bool interpreter_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

// At interpreter exit, CPython ends a daemon thread that asks for the GIL back
// by unwinding it (pthread_exit), and C++ frames on the way turn that into
// std::terminate (a noexcept destructor, a joinable std::thread) or into
// Py_DECREFs without the GIL. A thread that comes back from work without the
// GIL after shutdown began waits here instead, until the process ends (as
// CPython 3.14 itself does with such threads).
[[noreturn]] inline void park_forever() {
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

// Takes the GIL back, or parks the thread for good if the interpreter is
// shutting down, also when shutdown began while this thread waited for the GIL:
// the unwinding is caught and the thread parked inside the handler, so the
// unwinding never goes on (glibc aborts only when a handler ends without rethrowing).
inline void take_gil_back(PyThreadState* state) noexcept {
  if (interpreter_finalizing()) park_forever();
  // PyEval_RestoreThread throws no C++ exception: what arrives here is that
  // unwinding (abi::__forced_unwind; caught as ... since it is no object to
  // bind a reference to, which UBSan reports).
  try {
    PyEval_RestoreThread(state);
  } catch (...) {
    park_forever();
  }
}

// Releases the GIL for its scope (pybind11::gil_scoped_release, but one that
// parks instead of unwinding at interpreter exit: take_gil_back).
class ReleaseGil {
 public:
  ReleaseGil() : state_(PyEval_SaveThread()) {}
  ~ReleaseGil() { take_gil_back(state_); }
  ReleaseGil(const ReleaseGil&) = delete;
  ReleaseGil& operator=(const ReleaseGil&) = delete;
  // For a moment with the GIL inside the scope: take_gil_back(state()), then save_again().
  PyThreadState* state() const noexcept { return state_; }
  void save_again() noexcept { state_ = PyEval_SaveThread(); }

 private:
  PyThreadState* state_;
};

// The workers argument from Python: an int (a bool is refused), -1 or 1 to
// kMaxWorkers (anything else is ValueError, however large).
constexpr int kMaxWorkers = 4096;
inline int workers_of(pybind11::handle w, const char* where) {
  if (!PyLong_Check(w.ptr()) || PyBool_Check(w.ptr()))
    throw pybind11::type_error(std::string(where) + ": workers must be an int, got " +
                               Py_TYPE(w.ptr())->tp_name);
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(w.ptr(), &overflow);
  if (overflow || v > kMaxWorkers || v == 0 || v < -1)
    throw pybind11::value_error(std::string(where) + ": workers must be from 1 to " + std::to_string(kMaxWorkers) +
                                ", or -1 for every core");
  return static_cast<int>(v);
}

// workers: >= 1 threads, or -1 for one per core; 0 and other negatives are refused.
inline std::size_t thread_count(int workers, std::size_t tasks, const char* where) {
  if (workers == 0 || workers < -1)
    throw pybind11::value_error(std::string(where) + ": workers must be >= 1, or -1 for every core");
  std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::size_t threads = workers == -1 ? cores : static_cast<std::size_t>(workers);
  return std::max<std::size_t>(1, std::min(threads, tasks));
}

// Calls task(i) for every i in [0, tasks). Tasks must not throw. Throws
// error_already_set when a signal handler raised (the remaining tasks are skipped).
template <class Task>
void run_tasks(std::size_t tasks, int workers, const char* where, Task&& task) {
  std::size_t threads = thread_count(workers, tasks, where);
  if (tasks == 0) return;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < tasks && !stop.load(std::memory_order_relaxed);) task(i);
  };
  if (threads == 1 && tasks == 1) {  // one task: inline, still without the GIL
    ReleaseGil release;
    work();
    return;
  }
  std::mutex m;
  std::condition_variable cv;
  std::size_t finished = 0;
  bool interrupted = false;
  {
    ReleaseGil release;
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        work();
        std::lock_guard<std::mutex> lock(m);
        ++finished;
        cv.notify_all();
      });
    std::unique_lock<std::mutex> lock(m);
    while (!cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return finished == threads; })) {
      lock.unlock();
      {
        // A look at signals with the GIL: its own state, saved again after, and
        // at shutdown the workers stop before this thread parks.
        PyThreadState* state = release.state();
        if (interpreter_finalizing()) {
          stop = true;
          for (auto& th : pool) th.join();
          park_forever();
        }
        take_gil_back(state);
        if (PyErr_CheckSignals() != 0) interrupted = true;
        release.save_again();
      }
      lock.lock();
      if (interrupted) {
        stop = true;
        break;
      }
    }
    lock.unlock();
    for (auto& th : pool) th.join();
  }
  if (interrupted) throw pybind11::error_already_set();
}

}  // namespace arnorm_py
