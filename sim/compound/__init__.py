"""One renovation compound: its state, its collective actors and its weekly procedure per stage.

The compound is a Mesa agent (:class:`Compound`, in ``core``). Each stage of the pipeline
(:mod:`sim.stages`) has its procedure in a module of its own, with the state it owns and the ODD
section it implements:

========================================  ======================  ========
stage(s)                                   module                  ODD
========================================  ======================  ========
AWARE, CONSENT_DRIVE, APPLICATION_REVIEW   ``application``         §7.5–7.6
COUNCIL_FORMATION                          ``formation``           §7.7
DELIBERATION (meetings and plan votes)     ``deliberation``        §7.8
PLAN_APPROVAL, FUNDRAISING                 ``cofunding``           §7.6, §7.9
CONSTRUCTION                               ``construction``        §7.10
LONG_TERM (fees, management, conversion)   ``management``          §7.11
========================================  ======================  ========

Follow-up visits about unpaid bills (§7.9, §7.11), shared by co-funding and management, are in
``followup``. What a compound shows its households each week is filled in ``showing`` against the contract of
:mod:`sim.context`. City-only state (waiting for the bureau, admission) lives with the city
(:class:`sim.city.CityCompound`).
"""

from sim.compound.core import Compound

__all__ = ["Compound"]
