# Benchmark programs (not tests): built with the project, driven by the scripts/bench-* commands.
# bench_bare_loop: a bare SimGrid loop firing the engine's load events (scripts/bench-engine).
add_executable(bench_bare_loop ${PROJECT_SOURCE_DIR}/scripts/bench/bare_loop.c)
target_link_libraries(bench_bare_loop PRIVATE lucsim_engine)
# bench_core: the solver-core benchmark (scripts/bench-core). Links only the core and GLPK.
add_executable(bench_core ${PROJECT_SOURCE_DIR}/scripts/bench/core.c)
target_include_directories(bench_core PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(bench_core PRIVATE lucsim_core)
