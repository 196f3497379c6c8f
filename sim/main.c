/* The lucsim command line: run, validate, platform, schedulers, --help, --version.
 * It resolves the experiment (defaults, file, --set), hands SimGrid its own --cfg=/--log= options,
 * and maps outcomes to exit codes: 0 ok, 2 bad input, 1 internal failure. */
#include "config.h"
#include "error.h"
#include "budget.h"
#include "platform.h"
#include "run.h"
#include "scheduler.h"
#include "simgrid_options.h"
#include "suggest.h"

#include <malloc.h>
#include <simgrid/engine.h>
#include <simgrid/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/log.h>

#define MAX_SIMGRID_ARGS 64

static const char usage[] =
    "usage: lucsim run [EXPERIMENT.xml] [--set PATH=VALUE ...] [-o DIR] [--seed N] [--force] [-q]\n"
    "                  [--check] [SimGrid options]\n"
    "       lucsim validate EXPERIMENT.xml [--set PATH=VALUE ...]\n"
    "       lucsim platform [EXPERIMENT.xml] [--set PATH=VALUE ...]\n"
    "       lucsim schedulers [NAME] [PLUGIN.so ...]\n"
    "       lucsim --help | --version      (also COMMAND --help)\n"
    "\n"
    "  run         simulate the experiment (the embedded quickstart when no file is given) and write\n"
    "              its results folder (default results/<experiment>-<scheduler>-s<seed>)\n"
    "  validate    check an experiment as run does before simulating (platform, placement, failure\n"
    "              trace, scheduler parameters), without running it or writing anything\n"
    "  platform    write the SimGrid platform XML of a generated experiment (platform.kind cluster or\n"
    "              luc) to stdout: the file the run loads, editable, runnable with platform.kind=file\n"
    "  schedulers  list the registered schedulers, and the plugins given (their names and summaries);\n"
    "              with a NAME, that scheduler's parameters: type, default, accepted values, meaning\n"
    "\n"
    "  --set PATH=VALUE  override one field, e.g. --set injector.load.mean=70 --set scheduler=entropy\n"
    "                    (every field and its default: workloads/README.md)\n"
    "  -o DIR, --output DIR  results folder (same as --set output.dir=DIR); it must not exist, or be empty\n"
    "  --force           replace an earlier lucsim results folder at -o (only one lucsim wrote), and run\n"
    "                    past the run-size limits (limits.*)\n"
    "  --seed N          experiment seed (same as --set seed=N)\n"
    "  -q, --quiet       no progress line and no INFO lines on stderr, only warnings and errors\n"
    "  --check           verify the cluster's bookkeeping at every event (docs/TESTING.md); a violation\n"
    "                    ends the run with exit code 1 and no results; the results are the same with it\n"
    "  --cfg=... --log=...  passed to SimGrid, e.g. --log=lucsim.thres:verbose (checked first: a bad\n"
    "                    one is bad input)\n"
    "  every option with a value also takes it as --opt=VALUE (--set=PATH=VALUE, --seed=N, --output=DIR)\n"
    "\n"
    "exit codes: 0 success, 2 bad input (one line on stderr: file:line: field: message), 1 internal failure\n";

typedef struct cli {
  const char* command;
  const char* experiment;
  bool quiet;    /* --quiet: no progress line */
  bool check;    /* --check: invariants verified at every cluster event */
  bool user_log; /* a --log= option was given */
  int simgrid_argc;
  char* simgrid_argv[MAX_SIMGRID_ARGS];
} cli_t;

static int bad_input(const lucsim_err_t* err)
{
  char line[2048];
  lucsim_err_format(err, line, sizeof line);
  fprintf(stderr, "%s\n", line);
  return LUCSIM_EXIT_BAD_INPUT;
}

/* Our options that take a value: as given, and the option they stand for (--output is -o). */
static const char* const value_options[][2] = {
    {"--set", "--set"}, {"--seed", "--seed"}, {"-o", "-o"}, {"--output", "-o"}};

/* One of our options with a value, alone (the value comes next: *joined NULL) or as --opt=VALUE
 * (*joined is VALUE): returns the option it stands for, or NULL for any other argument. */
static const char* value_option(const char* a, const char** joined)
{
  for (size_t i = 0; i < sizeof value_options / sizeof *value_options; i++) {
    size_t n = strlen(value_options[i][0]);
    if (strncmp(a, value_options[i][0], n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
    *joined = a[n] == '=' ? a + n + 1 : NULL;
    return value_options[i][1];
  }
  return NULL;
}

/* A plugin's run is named after the plugin's own scheduler (results folder, summary.csv, the
 * resolved experiment.xml): scheduler.name takes it, and a different name given with the plugin
 * (other than the default none) is refused rather than silently mislabelling the results. */
static int name_plugin_scheduler(config_t* cfg, lucsim_err_t* err)
{
  if (!cfg->scheduler.plugin[0]) return 0;
  const sched_ops_t* ops = sched_load_plugin(cfg->scheduler.plugin, err);
  if (!ops) return -1;
  if (strcmp(cfg->scheduler.name, "none") != 0 && strcmp(cfg->scheduler.name, ops->name) != 0) {
    const char* file;
    int line;
    config_locate(cfg, "scheduler.name", &file, &line);
    return lucsim_err_set(err, file, line, "scheduler.name",
                          "'%s', but the plugin '%s' is scheduler '%s'; expected '%s' or no name", cfg->scheduler.name,
                          cfg->scheduler.plugin, ops->name, ops->name);
  }
  snprintf(cfg->scheduler.name, sizeof cfg->scheduler.name, "%s", ops->name);
  return 0;
}

/* Splits argv into our options (applied to cfg in order) and SimGrid's. */
static int parse_arguments(int argc, char** argv, cli_t* cli, config_t* cfg, lucsim_err_t* err)
{
  /* SimGrid defaults first, so that the user's --cfg= options, given later, override them:
   * small actor stacks without guard pages (docs/DESIGN.md §7), and quiet configuration lines. */
  static char* defaults[] = {
#ifdef LUCSIM_SANITIZED_BUILD
      /* stack-switching contexts confuse the sanitizers */
      "--cfg=contexts/factory:thread", /* threads ignore contexts/stack-size */
#else
      "--cfg=contexts/stack-size:16", /* the solver runs on its own stack (scheduler/solver_stack.c) */
#endif
      "--cfg=contexts/guard-size:0", "--log=xbt_cfg.thres:warning"};
  cli->simgrid_argv[cli->simgrid_argc++] = argv[0];
  for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
    cli->simgrid_argv[cli->simgrid_argc++] = defaults[i];

  /* The experiment file is read before any override, whatever the order on the command line. */
  for (int i = 2; i < argc; i++) {
    const char* joined;
    if (value_option(argv[i], &joined) && !joined) {
      i++;
      continue;
    }
    if (argv[i][0] != '-') {
      if (cli->experiment)
        return lucsim_err_set(err, NULL, 0, NULL, "two experiment files given ('%s' and '%s'); expected one",
                              cli->experiment, argv[i]);
      cli->experiment = argv[i];
    }
  }
  if (cli->experiment && config_load_file(cfg, cli->experiment, err) != 0) return -1;

  int user_simgrid = 0; /* the user's --cfg= and --log= options, after ours */
  char* user_options[MAX_SIMGRID_ARGS];
  for (int i = 2; i < argc; i++) {
    const char* a = argv[i];
    const char* joined;
    const char* option = value_option(a, &joined);
    if (option) {
      if (!joined && i + 1 >= argc) return lucsim_err_set(err, NULL, 0, NULL, "option %s needs a value", a);
      const char* v = joined ? joined : argv[++i];
      a             = option;
      if (strcmp(a, "--set") == 0) {
        if (config_apply_set(cfg, v, err) != 0) return -1;
        continue;
      }
      /* -o DIR and --seed N are output.dir=DIR and seed=N, whatever their length (the config
       * module refuses what is too long, instead of a cut value being applied). */
      const char* field = strcmp(a, "-o") == 0 ? "output.dir" : "seed";
      size_t size       = strlen(field) + strlen(v) + 2;
      char* assignment  = malloc(size);
      if (!assignment) return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
      snprintf(assignment, size, "%s=%s", field, v);
      int rc = config_apply_set(cfg, assignment, err);
      free(assignment);
      if (rc != 0) return -1;
    } else if (strncmp(a, "--cfg=", 6) == 0 || strncmp(a, "--log=", 6) == 0) {
      if (user_simgrid + 1 >= MAX_SIMGRID_ARGS / 2)
        return lucsim_err_set(err, NULL, 0, NULL, "too many SimGrid options");
      user_options[user_simgrid++] = argv[i];
      cli->user_log |= strncmp(a, "--log=", 6) == 0;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      cli->quiet = true;
    } else if (strcmp(a, "--check") == 0) {
      cli->check = true;
    } else if (strcmp(a, "--force") == 0) {
      cfg->force = true;
    } else if (a[0] == '-') {
      static const char* const options[] = {"--set",   "-o",      "--output", "--seed", "--force",
                                            "--quiet", "--check", "--cfg=",   "--log=", "--help"};
      const char* near                   = suggest_nearest(a, options, sizeof options / sizeof *options);
      if (near) return lucsim_err_set(err, NULL, 0, NULL, "unknown option '%s'; did you mean '%s'?", a, near);
      return lucsim_err_set(err, NULL, 0, NULL, "unknown option '%s' (see lucsim --help)", a);
    }
  }
  /* -q: warnings and errors only, unless the user's own --log= options say otherwise (they come after) */
  static char quiet_log[] = "--log=root.thres:warning";
  if (cli->quiet) cli->simgrid_argv[cli->simgrid_argc++] = quiet_log;
  int first_user = cli->simgrid_argc;
  for (int i = 0; i < user_simgrid; i++)
    cli->simgrid_argv[cli->simgrid_argc++] = user_options[i];
  cli->simgrid_argv[cli->simgrid_argc] = NULL;
  if (user_simgrid > 0 && simgrid_options_check(cli->simgrid_argc, cli->simgrid_argv, first_user, err) != 0) return -1;
  if (name_plugin_scheduler(cfg, err) != 0) return -1;
  return config_finish(cfg, err);
}

/* validate: every check run makes of its inputs before it simulates (run_validate: the budget,
 * the platform built into SimGrid, the initial placement, the failure trace, the scheduler and
 * its parameters), so "valid" means run will not fail on input. Nothing is written. */
static int command_validate(cli_t* cli, const config_t* cfg)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  if (!cli->experiment) {
    lucsim_err_set(&err, NULL, 0, NULL, "validate needs an experiment file");
    return bad_input(&err);
  }
  simgrid_init(&cli->simgrid_argc, cli->simgrid_argv);
  if (!cli->user_log) xbt_log_control_set("root.thres:warning"); /* no scheduler's INFO summary at its fini */
  if (run_validate(cfg, &err) != 0) return bad_input(&err);
  printf("%s: valid\n", cli->experiment);
  return LUCSIM_EXIT_OK;
}

/* A plugin argument of schedulers: a path (a '/' in it, or ending in .so); else a scheduler name. */
static bool is_plugin_path(const char* arg)
{
  size_t n = strlen(arg);
  return strchr(arg, '/') || (n > 3 && strcmp(arg + n - 3, ".so") == 0);
}

/* schedulers NAME: the parameters of scheduler NAME (a built-in, or a plugin given), read by its init
 * on the embedded defaults (the quickstart experiment). An unknown NAME is bad input, with the
 * nearest known one. */
static int describe_scheduler(const char* name, int argc, char** argv)
{
  const sched_ops_t* ops = sched_find(name);
  const char* plugin     = NULL;
  const char* known[64];
  size_t n = 0;
  for (const sched_ops_t* const* s = sched_builtins(); *s && n < 64; s++)
    known[n++] = (*s)->name;
  for (int i = 2; i < argc && n < 64; i++)
    if (is_plugin_path(argv[i])) {
      const sched_ops_t* p = sched_load_plugin(argv[i], NULL); /* loaded by the caller */
      known[n++]           = p->name;
      if (!ops && strcmp(p->name, name) == 0) ops = p, plugin = argv[i];
    }
  lucsim_err_t err;
  lucsim_err_clear(&err);
  if (!ops) {
    const char* near = suggest_nearest(name, known, n);
    lucsim_err_set(&err, NULL, 0, "scheduler",
                   "'%s' is not a registered scheduler%s%s%s (lucsim schedulers lists them)", name,
                   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    return bad_input(&err);
  }
  static config_t cfg;
  config_init_defaults(&cfg);
  snprintf(cfg.scheduler.name, sizeof cfg.scheduler.name, "%s", ops->name);
  if (plugin) snprintf(cfg.scheduler.plugin, sizeof cfg.scheduler.plugin, "%s", plugin);
  if (config_finish(&cfg, &err) != 0) return bad_input(&err);
  int sg_argc      = 1;
  char* sg_argv[2] = {argv[0], NULL};
  simgrid_init(&sg_argc, sg_argv);
  xbt_log_control_set("root.thres:warning");
  if (run_describe_scheduler(&cfg, ops, stdout, &err) != 0) return bad_input(&err);
  return LUCSIM_EXIT_OK;
}

/* schedulers [NAME] [PLUGIN.so ...]: the built-in schedulers, then each plugin given (loaded as a run
 * loads it: a bad one is bad input), so scripts learn a plugin's name (scripts/sweep does); with a
 * NAME, that scheduler's parameters instead. */
static int command_schedulers(int argc, char** argv)
{
  const char* name = NULL;
  for (int i = 2; i < argc; i++) { /* every plugin loads, or nothing is listed */
    lucsim_err_t err;
    lucsim_err_clear(&err);
    if (!is_plugin_path(argv[i])) {
      if (name) {
        lucsim_err_set(&err, NULL, 0, NULL, "one scheduler name at a time ('%s', then '%s')", name, argv[i]);
        return bad_input(&err);
      }
      name = argv[i];
    } else if (!sched_load_plugin(argv[i], &err)) {
      return bad_input(&err);
    }
  }
  if (name) return describe_scheduler(name, argc, argv);
  for (const sched_ops_t* const* s = sched_builtins(); *s; s++)
    printf("%-10s %s\n", (*s)->name, (*s)->summary ? (*s)->summary : "");
  for (int i = 2; i < argc; i++) {
    const sched_ops_t* ops = sched_load_plugin(argv[i], NULL); /* loaded above: the same table */
    printf("%-10s %s (plugin %s)\n", ops->name, ops->summary ? ops->summary : "", argv[i]);
  }
  return LUCSIM_EXIT_OK;
}

/* platform: the generated platform's XML on stdout; a platform file is not copied. */
static int command_platform(const config_t* cfg)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  if (cfg->platform.kind == PLAT_KIND_FILE) {
    const char* file;
    int line;
    config_locate(cfg, "platform.kind", &file, &line);
    lucsim_err_set(&err, file, line, "platform.kind",
                   "file: the platform is already the SimGrid file '%s'; nothing generated to write",
                   cfg->platform.file);
    return bad_input(&err);
  }
  if (plat_write_xml(&cfg->platform, stdout) != 0 || fflush(stdout) != 0) {
    fprintf(stderr, "cannot write the platform to stdout\n");
    return LUCSIM_EXIT_INTERNAL;
  }
  return LUCSIM_EXIT_OK;
}

static int command_run(cli_t* cli, const config_t* cfg)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  simgrid_init(&cli->simgrid_argc, cli->simgrid_argv);
  lucsim_run_t* run = run_create(cfg, &err);
  if (!run) return bad_input(&err);
  run->show_progress = !cli->quiet && isatty(STDERR_FILENO);
  run->check         = cli->check;
  int rc             = run_execute(run, &err);
  run_destroy(run);
  if (rc != 0) {
    char line[2048];
    lucsim_err_format(&err, line, sizeof line);
    fprintf(stderr, "%s\n", line);
    return LUCSIM_EXIT_INTERNAL;
  }
  printf("%s\n", cfg->output.dir);
  return LUCSIM_EXIT_OK;
}

int main(int argc, char** argv)
{
  /* The solver allocates arrays over every VM at each solve, and glibc would give them back to the
   * kernel when freed (large blocks are mapped, the heap's top is trimmed), so every solve paid page
   * faults on fresh memory: half of Entropy's time at 1M VMs. Keep freed memory for reuse instead
   * (docs/PERFORMANCE.md); the peak RSS does not change. */
  mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's upper limit: larger blocks are still mapped */
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? LUCSIM_EXIT_BAD_INPUT : LUCSIM_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("lucsim %s (SimGrid %d.%d, malloc: %s)\n", LUCSIM_VERSION, SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR,
           LUCSIM_ALLOCATOR);
    return LUCSIM_EXIT_OK;
  }
  if (strcmp(argv[1], "schedulers") == 0 && (argc < 3 || argv[2][0] != '-')) return command_schedulers(argc, argv);
  if (strcmp(argv[1], "schedulers") == 0 && strcmp(argv[2], "--help") != 0 && strcmp(argv[2], "-h") != 0) {
    fprintf(stderr, "unknown option '%s' (see lucsim --help)\n", argv[2]);
    return LUCSIM_EXIT_BAD_INPUT;
  }

  for (int i = 2; i < argc; i++) /* COMMAND --help: the usage, as lucsim --help */
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage, stdout);
      return LUCSIM_EXIT_OK;
    }
  cli_t cli = {.command = argv[1]};
  if (strcmp(cli.command, "run") != 0 && strcmp(cli.command, "validate") != 0 && strcmp(cli.command, "platform") != 0) {
    static const char* const commands[] = {"run", "validate", "platform", "schedulers"};
    const char* near                    = suggest_nearest(cli.command, commands, sizeof commands / sizeof *commands);
    fprintf(stderr, "unknown command '%s'; %s%s%sexpected run, validate, platform or schedulers (see lucsim --help)\n",
            cli.command, near ? "did you mean '" : "", near ? near : "", near ? "'? " : "");
    return LUCSIM_EXIT_BAD_INPUT;
  }
  config_t* cfg = malloc(sizeof *cfg);
  lucsim_err_t err;
  lucsim_err_clear(&err);
  config_init_defaults(cfg);
  int rc;
  if (parse_arguments(argc, argv, &cli, cfg, &err) != 0) {
    rc = bad_input(&err);
  } else if (strcmp(cli.command, "validate") == 0) {
    rc = command_validate(&cli, cfg);
  } else if (strcmp(cli.command, "platform") == 0) {
    rc = command_platform(cfg);
  } else {
    rc = command_run(&cli, cfg);
  }
  free(cfg);
  return rc;
}
