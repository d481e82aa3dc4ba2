// Loads cubins with the CUDA driver API and prints the result for each: which of them this GPU can run.
// Build and run on a GPU machine: nvcc -o probe probe.c -lcuda && ./probe nd4j_sm86.cubin ...
// (cubins from nd4j_cuda_archs.py --extract; a kernel built there with nvcc -cubin -arch=sm_XX is the control).
#include <cuda.h>
#include <stdio.h>

int main(int argc, char **argv) {
  CUdevice device;
  CUcontext context;
  int major, minor;
  char name[256];
  if (cuInit(0) != CUDA_SUCCESS) {
    printf("cuInit failed: no usable GPU\n");
    return 1;
  }
  cuDeviceGet(&device, 0);
  cuDeviceGetName(name, sizeof name, device);
  cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
  cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
  printf("device %s compute capability %d.%d\n", name, major, minor);
  cuDevicePrimaryCtxRetain(&context, device);
  cuCtxSetCurrent(context);
  int failures = 0;
  for (int i = 1; i < argc; i++) {
    CUmodule module;
    CUresult result = cuModuleLoad(&module, argv[i]);
    const char *error;
    cuGetErrorName(result, &error);
    printf("cuModuleLoad %s -> %d %s\n", argv[i], result, error);
    failures += result != CUDA_SUCCESS;
  }
  return failures == 0 ? 0 : 2;
}
