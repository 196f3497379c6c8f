/* Runs a libFuzzer harness without libFuzzer: each file named on the command line (or each file in a
 * named folder) is given once to LLVMFuzzerTestOneInput. The normal (gcc) build replays the seed
 * corpora and the regression inputs of past findings this way; a finding aborts. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static int replay_file(const char* path)
{
  FILE* f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t cap = 4096, n = 0;
  uint8_t* buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t* bigger = realloc(buf, cap * 2);
    if (!bigger) free(buf);
    buf = bigger;
    cap *= 2;
  }
  fclose(f);
  if (!buf) return 1;
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 0;
}

static int compare_names(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

/* Replays every regular file of dir, in name order. Returns the number of files replayed, or -1. */
static int replay_dir(const char* dir)
{
  DIR* d = opendir(dir);
  if (!d) {
    perror(dir);
    return -1;
  }
  char** names = NULL;
  size_t count = 0;
  for (struct dirent* e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    char** more = realloc(names, (count + 1) * sizeof *names);
    if (!more) abort();
    names        = more;
    size_t len   = strlen(dir) + strlen(e->d_name) + 2;
    names[count] = malloc(len);
    snprintf(names[count++], len, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof *names, compare_names);
  int replayed = 0;
  for (size_t i = 0; i < count; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && replay_file(names[i]) == 0) replayed++;
    free(names[i]);
  }
  free(names);
  return replayed;
}

int main(int argc, char** argv)
{
  int total = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      return 1;
    }
    int n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : (replay_file(argv[i]) == 0 ? 1 : -1);
    if (n < 0) return 1;
    total += n;
  }
  printf("%d inputs replayed, no finding\n", total);
  return total > 0 ? 0 : 1;
}
