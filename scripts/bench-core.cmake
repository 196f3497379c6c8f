# bench_core: the solver-core benchmark (scripts/bench-core runs it). Links only the core and GLPK.
add_executable(bench_core ${PROJECT_SOURCE_DIR}/scripts/bench_core.c)
target_include_directories(bench_core PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(bench_core PRIVATE lucsim_core)
