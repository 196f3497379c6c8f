/* libFuzzer harness (b): --set overrides. The input is lines: the first names the base (empty: the
 * embedded defaults; "quickstart" or "vmplaces-128": that shipped workload), each next line is one
 * PATH=VALUE given to config_apply_set (a NUL byte also ends a line, as argv cannot hold one), then
 * config_finish. A refusal must be one clean line; an accepted configuration must write and read
 * back identical (fuzz_common.c). It does not run simulations. */
#include "config.h"
#include "fuzz_common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 8192
#define MAX_ASSIGNMENTS 32

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  fuzz_setup();
  if (size > MAX_INPUT) return 0;
  char* text    = malloc(size + 1);
  config_t* cfg = malloc(sizeof *cfg);
  if (!text || !cfg) abort();
  memcpy(text, data, size);
  text[size] = '\0';
  for (size_t i = 0; i < size; i++)
    if (text[i] == '\n') text[i] = '\0';

  lucsim_err_t err;
  lucsim_err_clear(&err);
  config_init_defaults(cfg);
  int rc           = 0;
  const char* line = text;
  const char* end  = text + size;
  const char* base = line;
  line += strlen(line) + 1;
  const char* workload = strcmp(base, "quickstart") == 0     ? LUCSIM_SOURCE_DIR "/workloads/quickstart.xml"
                         : strcmp(base, "vmplaces-128") == 0 ? LUCSIM_SOURCE_DIR "/workloads/vmplaces-128.xml"
                                                             : NULL;
  if (workload) {
    const char* path = workload;
    rc               = config_load_file(cfg, path, &err);
    if (rc != 0) {
      fprintf(stderr, "cannot load the shipped workload %s\n", path);
      abort();
    }
  }
  for (int n = 0; rc == 0 && line < end && n < MAX_ASSIGNMENTS; n++) {
    rc = config_apply_set(cfg, line, &err);
    line += strlen(line) + 1;
  }
  if (rc == 0) rc = config_finish(cfg, &err);
  fuzz_check_outcome(rc, cfg, &err);
  free(cfg);
  free(text);
  return 0;
}
