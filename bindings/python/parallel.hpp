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
    pybind11::gil_scoped_release release;
    work();
    return;
  }
  std::mutex m;
  std::condition_variable cv;
  std::size_t finished = 0;
  bool interrupted = false;
  {
    pybind11::gil_scoped_release release;
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
        pybind11::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) interrupted = true;
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
