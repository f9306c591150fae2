// plcscope: the command-line entry point. Wiring only.
#include <cstdio>

int main(int argc, char** argv) {
  std::puts("plcscope");
  return 0;
}
