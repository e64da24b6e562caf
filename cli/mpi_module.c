/* mpi_module.c - parley-mpi.so: the Open MPI calls of `parley sweep`
 * (mpi_module.h).  Built as a module loaded only under mpirun, so that no
 * other command maps Open MPI's libraries at start-up. */
#include "mpi_module.h"

#include <limits.h>

#include <mpi.h>

static void init(void)
{
	int ok = 0;
	MPI_Initialized(&ok);
	if (!ok)
		MPI_Init(NULL, NULL);
}

static void world(int *rank, int *size)
{
	MPI_Comm_rank(MPI_COMM_WORLD, rank);
	MPI_Comm_size(MPI_COMM_WORLD, size);
}

static int max(int value)
{
	int all = value;
	MPI_Allreduce(&value, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	return all;
}

static int gather(const void *buf, size_t len, void *all)
{
	if (len > INT_MAX)
		return -1;
	MPI_Gather(buf, (int)len, MPI_BYTE, all, (int)len, MPI_BYTE, 0, MPI_COMM_WORLD);
	return 0;
}

static void finalize(void)
{
	MPI_Finalize();
}

const cli_mpi parley_mpi_module_v1 = {
	.init = init, .world = world, .max = max, .gather = gather, .finalize = finalize};
