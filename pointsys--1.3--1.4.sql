/* pointsys--1.3--1.4.sql: release 1.4 */

\echo Use "ALTER EXTENSION pointsys UPDATE TO '1.4'" to load this file. \quit
