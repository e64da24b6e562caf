/* mpi_module.h - the MPI calls `parley sweep` makes when mpirun starts it,
 * behind function pointers: parley-mpi.so (mpi_module.c) links Open MPI and
 * is loaded only then (module.h), so no other command maps Open MPI. */
#ifndef PARLEY_CLI_MPI_MODULE_H
#define PARLEY_CLI_MPI_MODULE_H

#include <stddef.h>

/* The symbol's name carries the interface's version: a module built for
 * another version is not found rather than called wrongly. */
#define CLI_MPI_MODULE "parley-mpi"
#define CLI_MPI_SYMBOL "parley_mpi_module_v1"

typedef struct cli_mpi {
	/* MPI_Init unless MPI is initialised already */
	void (*init)(void);
	/* this process's rank in MPI_COMM_WORLD and the number of ranks */
	void (*world)(int *rank, int *size);
	/* the largest of every rank's value (MPI_Allreduce, MPI_MAX) */
	int (*max)(int value);
	/* MPI_Gather of len bytes from each rank into all (size x len bytes,
	 * read on rank 0 only); -1 when len is too large for MPI, else 0 */
	int (*gather)(const void *buf, size_t len, void *all);
	void (*finalize)(void);
} cli_mpi;

extern const cli_mpi parley_mpi_module_v1;

#endif
