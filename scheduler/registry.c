/* The scheduler registry: the built-in tables, in listing order, and plugin loading (dlopen).
 * A new built-in scheduler is one folder plus one line in builtin[] below. */
#include "scheduler.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

extern const sched_ops_t none_ops;
extern const sched_ops_t entropy_ops;
extern const sched_ops_t snooze_ops;
extern const sched_ops_t dvms_ops;

static const sched_ops_t* const builtin[] = {
    &none_ops, &entropy_ops, &snooze_ops, &dvms_ops, NULL,
};

const sched_ops_t* const* sched_builtins(void)
{
  return builtin;
}

const sched_ops_t* sched_find(const char* name)
{
  for (size_t i = 0; builtin[i]; i++)
    if (strcmp(builtin[i]->name, name) == 0) return builtin[i];
  return NULL;
}

const sched_ops_t* sched_load_plugin(const char* path, lucsim_err_t* err)
{
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    lucsim_err_set(err, NULL, 0, "scheduler.plugin", "cannot load '%s': %s", path, dlerror());
    return NULL;
  }
  typedef const sched_ops_t* (*entry_fn)(void);
  entry_fn entry;
  *(void**)&entry = dlsym(handle, "lucsim_scheduler");
  if (!entry) {
    lucsim_err_set(err, NULL, 0, "scheduler.plugin", "'%s' exports no function lucsim_scheduler()", path);
    dlclose(handle);
    return NULL;
  }
  const sched_ops_t* ops = entry();
  if (!ops) {
    lucsim_err_set(err, NULL, 0, "scheduler.plugin", "'%s' returns no scheduler table", path);
    dlclose(handle);
    return NULL;
  }
  /* Only abi_version is read before it is known to be in range (a later table may be larger, an
   * older one smaller than sched_ops_t). */
  if (ops->abi_version < SCHED_ABI_VERSION_MIN || ops->abi_version > SCHED_ABI_VERSION) {
    lucsim_err_set(err, NULL, 0, "scheduler.plugin", "'%s' was built for scheduler ABI %d; expected %d to %d", path,
                   ops->abi_version, SCHED_ABI_VERSION_MIN, SCHED_ABI_VERSION);
    dlclose(handle);
    return NULL;
  }
  if (!ops->name || !ops->init) {
    lucsim_err_set(err, NULL, 0, "scheduler.plugin", "'%s' returns a table without name or init", path);
    dlclose(handle);
    return NULL;
  }
  if (sched_find(ops->name)) {
    lucsim_err_set(err, NULL, 0, "scheduler.plugin", "'%s' registers '%s', the name of a built-in scheduler", path,
                   ops->name);
    dlclose(handle);
    return NULL;
  }
  return ops;
}
