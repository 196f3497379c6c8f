/* simgrid_options.h: SimGrid parses --cfg= and --log= inside simgrid_init and, on a bad one,
 * throws through C code (an abort with a stack dump). A child process tries them first; its
 * stderr tells which option failed and why. */
#include "simgrid_options.h"

#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* SimGrid's message without its log prefix ("[0.000000] file:line: [cat/CRITICAL] "). */
static const char* reason(const char* line)
{
  const char* tag = strstr(line, "CRITICAL] ");
  if (tag) line = tag + strlen("CRITICAL] ");
  if (strncmp(line, "Uncaught exception ", 19) == 0 && strstr(line, ": ")) return strstr(line, ": ") + 2;
  if (tag) return line;
  const char* close = strstr(line, "] ");
  return close ? close + 2 : line;
}

/* The user's option (argv[first..argc)) the message quotes, by its key or its value, else the last. */
static const char* blamed(int argc, char** argv, int first, const char* why)
{
  for (int i = first; i < argc; i++) {
    char key[256];
    snprintf(key, sizeof key, "%s", argv[i] + strcspn(argv[i], "=") + (argv[i][strcspn(argv[i], "=")] != '\0'));
    char* value = strchr(key, ':');
    if (value) *value++ = '\0';
    if ((key[0] && strstr(why, key)) || (value && value[0] && strstr(why, value))) return argv[i];
  }
  return argv[argc - 1];
}

int simgrid_options_check(int argc, char** argv, int first, lucsim_err_t* err)
{
  int fds[2];
  if (pipe(fds) != 0) return 0; /* cannot check: SimGrid will say it itself */
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return 0;
  }
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    int n = argc;
    simgrid_init(&n, argv);
    _exit(0);
  }
  close(fds[1]);
  char text[4096];
  size_t got = 0;
  ssize_t r;
  while (got + 1 < sizeof text && (r = read(fds[0], text + got, sizeof text - 1 - got)) > 0)
    got += (size_t)r;
  char sink[4096];
  while (read(fds[0], sink, sizeof sink) > 0) { /* the rest of SimGrid's dump */
  }
  close(fds[0]);
  text[got]  = '\0';
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  text[strcspn(text, "\n")] = '\0';
  const char* why           = reason(text);
  const char* opt           = blamed(argc, argv, first, why);
  char field[64];
  snprintf(field, sizeof field, "%.*s", (int)strcspn(opt, "="), opt);
  lucsim_err_set(err, NULL, 0, field, "'%s' refused by SimGrid: %s", opt, why[0] ? why : "(no reason given)");
  return -1;
}
