# Benchmark programs (not tests): built with the project, driven by scripts/bench-*.
add_executable(bench_bare_loop ${PROJECT_SOURCE_DIR}/scripts/bench/bare_loop.c)
target_link_libraries(bench_bare_loop PRIVATE lucsim_engine)
if(EXISTS ${PROJECT_SOURCE_DIR}/scripts/bench-core.cmake)
  include(${PROJECT_SOURCE_DIR}/scripts/bench-core.cmake)
endif()
