/* libFuzzer harness (a): the bytes of an experiment file. They go to a temporary file read by
 * config_load_file, then config_finish; a refusal must be one clean line, an accepted experiment
 * must write (config_write_xml) and read back to the identical configuration (fuzz_common.c).
 * It does not run simulations. */
#include "config.h"
#include "fuzz_common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  char path[128];
  snprintf(path, sizeof path, "%s/input.xml", fuzz_setup());
  FILE* f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
    perror(path);
    abort();
  }
  config_t* cfg = malloc(sizeof *cfg);
  if (!cfg) abort();
  lucsim_err_t err;
  lucsim_err_clear(&err);
  config_init_defaults(cfg);
  int rc = config_load_file(cfg, path, &err);
  if (rc == 0) rc = config_finish(cfg, &err);
  fuzz_check_outcome(rc, cfg, &err);
  free(cfg);
  remove(path);
  return 0;
}
