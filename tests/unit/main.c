/* The engine's unit-test binary (sim/ and scheduler/ modules, real SimGrid and libxml2 paths).
 * One entry per suite; ctest registers one test per entry of this table (tests/tests.cmake). */
#include "runner.h"

/* Suites, one per tests/unit/test_<module>.c file. */
extern CU_TestInfo cluster_tests[];
extern CU_TestInfo config_tests[];
extern CU_TestInfo config_io_tests[];
extern CU_TestInfo monitor_tests[];
extern CU_TestInfo energy_tests[];
extern CU_TestInfo overload_tests[];
extern CU_TestInfo invariants_tests[];
extern CU_TestInfo rng_tests[];
extern CU_TestInfo timer_heap_tests[];
extern CU_TestInfo injector_tests[];
extern CU_TestInfo injector_domains_tests[];
extern CU_TestInfo islands_tests[];
extern CU_TestInfo ves_tests[];
extern CU_TestInfo infra_tests[];
extern CU_TestInfo trace_tests[];
extern CU_TestInfo migration_tests[];
extern CU_TestInfo migration_wan_tests[];
extern CU_TestInfo sched_ops_tests[];
extern CU_TestInfo registry_tests[];
extern CU_TestInfo plan_exec_tests[];
extern CU_TestInfo load_trace_tests[];
extern CU_TestInfo sla_tests[];
extern CU_TestInfo recovery_tests[];
extern CU_TestInfo messages_tests[];
extern CU_TestInfo entropy_tests[];
extern CU_TestInfo snooze_tests[];
extern CU_TestInfo dvms_tests[];
extern CU_TestInfo dvms_overlay_tests[];
extern CU_TestInfo dvms_detector_tests[];
extern CU_TestInfo stats_tests[];
extern CU_TestInfo platform_tests[];
extern CU_TestInfo platform_luc_tests[];
extern CU_TestInfo platform_sites_tests[];

/* clang-format off: one suite a line */
static CU_SuiteInfo engine_suites[] = {
    {"cluster", NULL, NULL, NULL, NULL, cluster_tests},
    {"config", NULL, NULL, NULL, NULL, config_tests},
    {"config_io", NULL, NULL, NULL, NULL, config_io_tests},
    {"monitor", NULL, NULL, NULL, NULL, monitor_tests},
    {"energy", NULL, NULL, NULL, NULL, energy_tests},
    {"overload", NULL, NULL, NULL, NULL, overload_tests},
    {"invariants", NULL, NULL, NULL, NULL, invariants_tests},
    {"rng", NULL, NULL, NULL, NULL, rng_tests},
    {"timer_heap", NULL, NULL, NULL, NULL, timer_heap_tests},
    {"injector", NULL, NULL, NULL, NULL, injector_tests},
    {"injector_domains", NULL, NULL, NULL, NULL, injector_domains_tests},
    {"islands", NULL, NULL, NULL, NULL, islands_tests},
    {"trace", NULL, NULL, NULL, NULL, trace_tests},
    {"migration", NULL, NULL, NULL, NULL, migration_tests},
    {"migration_wan", NULL, NULL, NULL, NULL, migration_wan_tests},
    {"sched_ops", NULL, NULL, NULL, NULL, sched_ops_tests},
    {"registry", NULL, NULL, NULL, NULL, registry_tests},
    {"plan_exec", NULL, NULL, NULL, NULL, plan_exec_tests},
    {"load_trace", NULL, NULL, NULL, NULL, load_trace_tests},
    {"sla", NULL, NULL, NULL, NULL, sla_tests},
    {"recovery", NULL, NULL, NULL, NULL, recovery_tests},
    {"messages", NULL, NULL, NULL, NULL, messages_tests},
    {"entropy", NULL, NULL, NULL, NULL, entropy_tests},
    {"ves", NULL, NULL, NULL, NULL, ves_tests},
    {"infra", NULL, NULL, NULL, NULL, infra_tests},
    {"snooze", NULL, NULL, NULL, NULL, snooze_tests},
    {"dvms", NULL, NULL, NULL, NULL, dvms_tests},
    {"dvms_overlay", NULL, NULL, NULL, NULL, dvms_overlay_tests},
    {"dvms_detector", NULL, NULL, NULL, NULL, dvms_detector_tests},
    {"stats", NULL, NULL, NULL, NULL, stats_tests},
    {"platform", NULL, NULL, NULL, NULL, platform_tests},
    {"platform_luc", NULL, NULL, NULL, NULL, platform_luc_tests},
    {"platform_sites", NULL, NULL, NULL, NULL, platform_sites_tests},
    CU_SUITE_INFO_NULL,
};
/* clang-format on */

int main(int argc, char** argv)
{
  return lucsim_test_main(argc, argv, engine_suites);
}
