/*
 * owner_spi.h
 *		Queries run as the ledger's owner (owner_spi.c).
 */
#ifndef POINTSYS_OWNER_SPI_H
#define POINTSYS_OWNER_SPI_H

#include "pointsys.h"

#include "executor/spi.h"

/* The caller's user and settings, saved while SPI runs as the ledger's owner */
typedef struct OwnerSwitch
{
	Oid			userid;
	int			sec_context;
	int			guc_nestlevel;
} OwnerSwitch;

extern void owner_spi_register_callbacks(void);
extern void spi_begin(OwnerSwitch *saved);
extern void spi_end(const OwnerSwitch *saved);
extern SPIPlanPtr spi_keep_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes);
extern SPIPlanPtr spi_keep_generic_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes);
extern int	spi_latest(SPIPlanPtr plan, Datum *values, const char *nulls);
extern Oid	pointsys_relation(const char *name);

#endif							/* POINTSYS_OWNER_SPI_H */
