"""Mechanism parameters: one typed group per mechanism, each field documented with
unit, range and source. `docs/parameters.md` is generated from these classes."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from polarsim.inputs.strict import StrictModel
from polarsim.scenario.fields import complete_with_defaults, param

#: Smallest mean cost of an endogenous project (USD bn). The number of proposals a year
#: is the engagement budget divided by this cost: near zero it is unbounded (a run at
#: 0.000001 proposes millions of projects in its first year and exhausts memory), and a
#: project of less than USD 50 m is not the infrastructure the model is about.
MIN_PROJECT_COST_USD_BN = 0.05

ASSUMPTION = "assumption"
CALIBRATED = (
    "calibrated: experiments/calibrate_historical.yaml (ABC-SMC over forecasts started in "
    "2004, fitted to the trade, arms and remittance data of 2005-2007, 2008-2010 held out; "
    "docs/validation.md), posterior median of its run of 2026-11-29 (the model has changed "
    "since: docs/validation.md scores today's medians against these over rolling origins)"
)


class EngagementParams(StrictModel):
    """How powers spread their regional budget over states (mechanisms/engagement.py)."""

    state_mass_elasticity: float = param(
        0.5,
        unit="1",
        ge=0,
        le=2,
        source=ASSUMPTION,
        description="elasticity of a state's strategic value to its GDP",
    )
    endowment_weight: float = param(
        1.0,
        unit="1",
        ge=0,
        le=5,
        source=ASSUMPTION,
        description="extra value of hydrocarbons/minerals/hydro/transit, relative to size",
    )
    sanctions_budget_cut: float = param(
        0.3,
        unit="1 per unit intensity",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="share of a sanctioned power's regional budget lost per unit intensity",
    )
    welcome_weight: float = param(
        1.0,
        unit="1",
        ge=0,
        le=5,
        source=ASSUMPTION,
        description="elasticity of allocated effort to the state's receptivity last year",
    )


class ContestParams(StrictModel):
    """Tullock contest for influence (Tullock 1980; Skaperdas 1996)."""

    decisiveness: float = param(
        1.0,
        unit="1",
        ge=0.1,
        le=5,
        source="Skaperdas 1996 (r=1 is the standard ratio form)",
        description="Tullock exponent r: how sharply more effort wins a larger share",
    )
    security_incumbency: float = param(
        1.0,
        unit="USD m effort per USD m TIV stock",
        ge=0,
        le=20,
        source=ASSUMPTION,
        description="weight of an installed arms stock (spares, training, Soviet standards) "
        "as effort in the security contest: lock-in of suppliers",
    )
    security_anchor: float = param(
        1.0,
        unit="1",
        ge=0,
        le=1,
        source="rolling-origin skill, nested: chosen on forecasts from 2005-2009 scored "
        "to 2010 (scripts/tune_by_skill.py, docs/validation.md)",
        description="weight of the observed suppliers' shares of the start window in "
        "the security contest's supplier weights: 1, the first year reproduces them "
        "and shares move only with the change of the contest inputs since; 0, the "
        "plain contest of effort and stock",
    )
    security_anchor_years: int = param(
        2,
        unit="years",
        ge=1,
        le=5,
        source="rolling-origin skill, nested: chosen on forecasts from 2005-2009 scored "
        "to 2010 (scripts/tune_by_skill.py, docs/validation.md)",
        description="latest years of observed deliveries up to the start whose supplier "
        "shares anchor the security contest (a state without deliveries in them takes "
        "the latest earlier window with some): fewer years follow a supplier that "
        "entered lately, more smooth small states' lumpy deliveries; at most "
        "security.window_years",
    )
    security_receptivity_anchor: float = param(
        0.75,
        unit="1",
        ge=0,
        le=1,
        source="rolling-origin skill, nested: chosen on forecasts from 2005-2009 scored "
        "to 2010 (scripts/tune_by_skill.py, docs/validation.md)",
        description="share of the first simulated year's security receptivity that the "
        "anchored contest holds: 1, receptivity moves arms shares only through its "
        "change since; 0, through its level (a state pulls away from a supplier it "
        "depends on from the first year on)",
    )
    other_suppliers_weight: float = param(
        2.0,
        unit="USD m effort per USD m of arms demand",
        ge=0,
        le=20,
        source=ASSUMPTION,
        description="competitive presence of suppliers outside the modelled powers",
    )
    forum_bonus: float = param(
        0.1,
        unit="1",
        ge=0,
        le=2,
        source=ASSUMPTION,
        description="relative gain in effectiveness of a power's effort in states that take "
        "part in a summit format or forum it sponsors (SCO, C5+1, C+C5, OTS, EU strategy)",
    )
    alliance_bonus: float = param(
        0.5,
        unit="1",
        ge=0,
        le=5,
        source=ASSUMPTION + " (CSTO members buy Russian arms at "
        "Russian domestic prices, agreement of 2000/2004); Uzbekistan's CSTO suspension "
        "(2012) does not identify it: the anchored contest keeps Russia's 2010-2014 arms "
        "share at 100 % for any value in 0-2 (observed 60 %; scripts/check_episodes.py)",
        description="relative advantage of an alliance leader in the security contest of "
        "its allies",
    )


class TradeParams(StrictModel):
    """Gravity trade with connectivity, customs unions and sanctions (mechanisms/trade.py)."""

    partner_mass_elasticity: float = param(
        0.46,
        unit="1",
        ge=0,
        le=2,
        source=f"{CALIBRATED}, 90 % interval 0.06-1.29 (weakly identified). Cross-section "
        "gravity gives about 1 (Head & Mayer 2014)",
        description="elasticity of bilateral trade to the partner's share of world GDP in "
        "current USD (gravity with the world's GDP as multilateral resistance, relative to "
        "the start year)",
    )
    persistence: float = param(
        0.81,
        unit="1 per year",
        ge=0,
        lt=1,
        source=f"{CALIBRATED}, 90 % interval 0.59-0.95; Eichengreen & Irwin 1998 (lagged "
        "trade dominates gravity regressions)",
        description="share of last year's flow kept when trade adjusts to its gravity target",
    )
    trend_weight: float = param(
        1.0,
        unit="1",
        ge=0,
        le=2,
        source="calibrated: forecasts started in 2005, 2006 and 2007 from the data, compared "
        "with the observed shares of CHN, RUS, EU, TUR, USA to 2010 (docs/validation.md), "
        "with the calibrated trade parameters: mean absolute error 3.58 pp at weight 1, "
        "3.63 at 0.5, 3.71 at 0, persistence 4.00; 1.5 gives 3.57 but extrapolates beyond "
        "the observed trend, so 1 (scripts/trade_trend_skill.py, 10 replicates, seed 1, "
        "2026-12-07, this project's 2-core VM)",
        description="weight of each power's residual trade trend (the growth of its observed "
        "trade shares beyond what gravity on GDP implies over the years before the start) "
        "carried into the run; 0 switches it off",
    )
    trend_window_years: int = param(
        5,
        unit="years",
        ge=2,
        le=10,
        source="calibrated with trend_weight (5 beats 4: 3.58 against 3.61 pp; "
        "scripts/trade_trend_skill.py, 2026-12-07)",
        description="years before the start over which the residual trend is measured "
        "(shorter when the data begin later)",
    )
    trend_halflife_years: float = param(
        3.0,
        unit="years",
        ge=0,
        le=50,
        source="damped trend (Gardner & McKenzie 1985); half-lives 3 and 5 differ by 0.01 pp "
        "in the 2005-2007 forecasts (3.58 against 3.57; scripts/trade_trend_skill.py, "
        "2026-12-07), and the shorter one extrapolates "
        "less beyond the five years those forecasts can test",
        description="half-life of the residual trend after the start; the trend adds at most "
        "phi/(1-phi) years of growth, phi = 0.5^(1/half-life)",
    )
    trend_min_share: float = param(
        0.005,
        unit="share of total trade",
        ge=0,
        le=0.2,
        source=ASSUMPTION,
        description="pairs with a smaller observed share at either end of the window are left "
        "out of the residual trend (their log change is noise)",
    )
    trade_elasticity: float = param(
        4.0,
        unit="1",
        ge=0.5,
        le=15,
        source="Simonovska & Waugh 2014; Head & Mayer 2014 (trade cost elasticity about 4-5)",
        description="elasticity of trade to tariff factors (1+t)",
    )
    receptivity_elasticity: float = param(
        0.26,
        unit="1",
        ge=0,
        le=5,
        source=f"{CALIBRATED}, 90 % interval 0.04-1.17",
        description="elasticity of trade to the state's receptivity toward the partner "
        "(non-tariff openness, relative to the start year)",
    )
    promotion_effect: float = param(
        5.0,
        unit="1 per (engagement as share of GDP)",
        ge=0,
        le=100,
        source=ASSUMPTION,
        description="trade gain from a power's trade engagement (credit lines, trade finance)",
    )
    ramp_years: int = param(
        2,
        unit="years",
        ge=1,
        le=10,
        source="calibrated with pipeline utilisation (2 beats 4)",
        description="years for a new project's trade to reach its capacity value",
    )
    noise_sd: float = param(
        0.08,
        unit="log points",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="year-to-year noise of each bilateral trade target (lognormal)",
    )
    sanctions_compliance: float = param(
        0.5,
        unit="1",
        ge=0,
        le=5,
        source="assumption; the 2014 episode does not identify it: run from the observed "
        "ties of 2013, Russia's 2015 trade share in the five states has MAE 2.47-2.68 pp "
        "for any value in 0-5 (scripts/check_sanctions_episode.py; the ruble's fall "
        "already enters through gravity)",
        description="how strongly a state's trade with a sanctioned power falls with its "
        "exposure to the imposers (secondary-sanction risk)",
    )
    sanctions_busting: float = param(
        0.0,
        unit="1",
        ge=0,
        le=5,
        source="Early 2009 (third-party sanctions busting); "
        "default off: an assumption to be calibrated",
        description="rise of a state's trade with a sanctioned power per unit intensity "
        "(re-exports through third countries)",
    )
    value_per_unit: dict[str, float] = Field(
        default_factory=lambda: {
            "gas_pipeline": 250.0,
            "oil_pipeline": 450.0,
            "railway": 400.0,
            "road": 400.0,
            "corridor": 400.0,
            "dry_port": 400.0,
            "power_line": 0.25,
            "hydropower": 0.25,
        },
        description="trade value of one unit of project capacity, USD m per bcm/y (gas, "
        "about 250 USD per 1000 m3), per Mt/y (oil about 450 USD/t, goods by rail/road "
        "about 400 USD/t), per MW (electricity at 50 % load and 55 USD/MWh); "
        "assumption: 2005-2010 price levels",
        json_schema_extra={"unit": "USD m per capacity unit", "source": ASSUMPTION},
    )
    utilisation: dict[str, float] = Field(
        default_factory=lambda: {
            "gas_pipeline": 0.5,
            "oil_pipeline": 0.5,
            "railway": 0.3,
            "road": 0.2,
            "corridor": 0.1,
            "dry_port": 0.3,
            "power_line": 0.5,
            "hydropower": 0.2,
        },
        description="share of a project's capacity that carries bilateral trade between "
        "host and partner (the rest is transit, domestic use or unused design capacity)",
        json_schema_extra={
            "unit": "1",
            "source": "pipelines calibrated (grid 0.3/0.5/0.8 with ramp_years 2/4 against "
            "DOTS shares 2003-2010, mainly KAZ and TKM with China); others assumption",
        },
    )
    customs_union_tariff_rise: float = param(
        0.04,
        unit="tariff points (fraction)",
        ge=0,
        le=0.5,
        source="World Bank 2012, Kazakhstan CU assessment (average tariff 6.7 % -> 11.1 %)",
        description="rise of the average tariff on non-members when a state joins a customs union",
    )
    customs_union_internal_gain: float = param(
        0.0,
        unit="1",
        ge=0,
        le=2,
        source="episode: the customs-union entries of Kazakhstan (2010) and Kyrgyzstan "
        "(2015), run from the observed ties of the year before with the tariff rise at its "
        "sourced value on imports; error of Russia's simulated trade-share change: "
        "Kazakhstan 2010-2013 0.85 pp at 0 (chosen: the smallest of the grid 0-0.5) "
        "against 1.51 at 0.1 and 2.66 at 0.25; Kyrgyzstan 2015, held out, 0.25 at 0 "
        "against 0.03 at 0.1 and 0.45 at 0.25 (it would prefer 0.1, on one number: one "
        "year, under five months in force, the year of the ruble's fall); 50 replicates, "
        "seed 1 "
        "(scripts/check_episodes.py; was 0.1, an assumption). Consistent with trade "
        "among the members being largely duty-free before, under the CIS free-trade "
        "agreements (US Commercial Service, Kazakhstan country guide, trade agreements)",
        description="relative rise of trade with the union's leader when internal barriers go",
    )

    @field_validator("value_per_unit", "utilisation", mode="before")
    @classmethod
    def _partial(cls, value, info):
        return complete_with_defaults(value, cls.model_fields[info.field_name].default_factory())

    @model_validator(mode="after")
    def _kinds(self):
        from polarsim.scenario.events import PROJECT_KINDS

        for name in ("value_per_unit", "utilisation"):
            table = getattr(self, name)
            missing = [k for k in PROJECT_KINDS if k not in table]
            unknown = [k for k in table if k not in PROJECT_KINDS]
            if missing or unknown:
                raise ValueError(
                    f"{name}: needs one value per project kind {list(PROJECT_KINDS)}"
                    + (f"; missing {missing}" if missing else "")
                    + (f"; unknown {unknown}" if unknown else "")
                )
            if any(v < 0 for v in table.values()):
                raise ValueError(f"{name}: values must be >= 0")
        return self


class SecurityParams(StrictModel):
    """Arms, bases and guarantees as a stock of security ties (mechanisms/security.py)."""

    depreciation: float = param(
        0.07,
        unit="1 per year",
        ge=0,
        le=1,
        source=ASSUMPTION + " (service lives of 15 years and more)",
        description="yearly decay of the security-tie stock",
    )
    arms_intensity_fallback: float = param(
        0.05,
        unit="USD m TIV per USD m military spending",
        ge=0,
        le=1,
        source="assumption within the data's range: the bundled SIPRI TIV over military "
        "spending, 2000-2009, gives UZB 0.025, KGZ 0.048, KAZ 0.080, TJK 0.165 (mean 0.080; "
        "the earlier source, 'the regional mean', did not match these); used for "
        "Turkmenistan, which reports no military spending, and for a state without any "
        "delivery in the years before the start (Tajikistan before 2006)",
        description="arms imports per unit of military spending, for states whose own ratio "
        "cannot be computed from the data or is 0 for want of any delivery",
    )
    threat_weight: float = param(
        0.5,
        unit="1",
        ge=0,
        le=5,
        source=ASSUMPTION,
        description="rise of security demand with the state's threat level (and unrest)",
    )
    base_value: float = param(
        10.0,
        unit="USD m TIV-equivalent per year",
        ge=0,
        le=500,
        source=ASSUMPTION + "; the US base closures (K2 2005, Manas 2014) do not identify "
        "it: no US arms deliveries to either host in the data, and the US trade share "
        "moves by at most 0.12 pp for values 0-200 (scripts/check_episodes.py)",
        description="security tie that a foreign base adds each year",
    )
    guarantee_value: float = param(
        10.0,
        unit="USD m TIV-equivalent per year",
        ge=0,
        le=500,
        source=ASSUMPTION + "; Uzbekistan's CSTO suspension (2012) does not identify it "
        "(scripts/check_episodes.py)",
        description="security tie that an alliance guarantee adds each year",
    )
    window_years: int = param(
        5,
        unit="years",
        ge=1,
        le=10,
        source="SIPRI practice of five-year periods",
        description="arms deliveries summed to form the initial stock",
    )


class InfrastructureParams(StrictModel):
    """Infrastructure projects (model/pipeline.py, mechanisms/projects.py)."""

    cost_per_km_usd_m: float = param(
        4.0,
        unit="USD m per km",
        gt=0,
        le=100,
        source=ASSUMPTION + " (trunk pipeline costs)",
        description="cost of a bundled project that gives a length but no cost",
    )
    proposal_rate: float = param(
        0.5,
        unit="proposals per project-cost of infrastructure engagement",
        ge=0,
        le=10,
        source=ASSUMPTION,
        description="how many projects a power proposes per year per mean project cost of "
        "infrastructure engagement in a state",
    )
    mean_cost_usd_bn: float = param(
        0.6,
        unit="USD bn",
        ge=MIN_PROJECT_COST_USD_BN,
        le=50,
        source=ASSUMPTION,
        description="mean cost of an endogenous project in the start year (lognormal, sd = "
        "mean); later years scale it with the rest of the world's nominal GDP",
    )
    power_line_hydro_weight: float = param(
        0.5,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="how much a host's hydropower endowment makes it fit for power lines: "
        "fit = (1 - w) + w x hydro (0: every host fits fully; 1: as far as its hydro "
        "endowment); a line exports power where there is power to export, yet carries "
        "any grid's",
    )
    capacity_per_usd_bn: dict[str, float] = Field(
        default_factory=lambda: {
            "gas_pipeline": 4.0,
            "oil_pipeline": 15.0,
            "railway": 3.0,
            "road": 4.0,
            "corridor": 5.0,
            "dry_port": 8.0,
            "power_line": 500.0,
            "hydropower": 400.0,
        },
        description="capacity bought by USD 1 bn, in the unit of each kind (bcm/y, Mt/y, MW)",
        json_schema_extra={"unit": "capacity unit per USD bn", "source": ASSUMPTION},
    )
    build_years: dict[str, int] = Field(
        default_factory=lambda: {
            "gas_pipeline": 3,
            "oil_pipeline": 3,
            "railway": 4,
            "road": 4,
            "corridor": 3,
            "dry_port": 2,
            "power_line": 3,
            "hydropower": 7,
        },
        description="years of construction by kind",
        json_schema_extra={"unit": "years", "source": ASSUMPTION},
    )
    stall_hazard: float = param(
        0.1,
        unit="1 per year",
        ge=0,
        le=1,
        source="episodes to 2015: 3 stalls (Line D, the Western Europe-Western China "
        "highway, the INSTC railway) over 30 construction-years of the 10 projects "
        "agreed 2004-2015, 90 % interval 0.027-0.258 "
        "(scripts/estimate_stall_hazard.py; was 0.04, an assumption)",
        description="base yearly probability that a project under construction stalls",
    )
    stall_sanctions: float = param(
        0.3,
        unit="1 per year per unit intensity",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="extra stall hazard when the sponsor is sanctioned or at war",
    )
    stall_unrest: float = param(
        0.3,
        unit="1 per year per unit intensity",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="extra stall hazard from unrest in a host",
    )
    resume_rate: float = param(
        0.1,
        unit="1 per year",
        ge=0,
        le=1,
        source="assumption, consistent with the episodes to 2015: 1 resume (the INSTC "
        "railway) over 9 stalled years, 0.11, 90 % interval 0.006-0.53 "
        "(scripts/estimate_stall_hazard.py)",
        description="yearly probability that a stalled project resumes",
    )
    debt_aversion: float = param(
        3.0,
        unit="1 per (debt/GDP)",
        ge=0,
        le=50,
        source=ASSUMPTION,
        description="how fast a host's willingness to accept loans falls with its foreign "
        "project debt",
    )
    amortisation: float = param(
        0.06,
        unit="1 per year",
        ge=0,
        le=1,
        source=ASSUMPTION + " (loans of ~15-20 years)",
        description="yearly repayment share of project debt",
    )
    depreciation: float = param(
        0.03,
        unit="1 per year",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="yearly depreciation of infrastructure stocks",
    )
    domestic_investment_pct_gdp: float = param(
        0.5,
        unit="% of GDP per year",
        ge=0,
        le=10,
        source=ASSUMPTION,
        description="connective infrastructure financed at home or by multilaterals "
        "('other partners')",
    )

    @field_validator("capacity_per_usd_bn", "build_years", mode="before")
    @classmethod
    def _partial(cls, value, info):
        return complete_with_defaults(value, cls.model_fields[info.field_name].default_factory())

    @model_validator(mode="after")
    def _kinds(self):
        from polarsim.scenario.events import PROJECT_KINDS

        for name in ("capacity_per_usd_bn", "build_years"):
            table = getattr(self, name)
            missing = [k for k in PROJECT_KINDS if k not in table]
            if missing:
                raise ValueError(f"{name}: missing project kinds {missing}")
            if any(v <= 0 for v in table.values()):
                raise ValueError(f"{name}: values must be > 0")
        return self


class ResponseParams(StrictModel):
    """How states weigh offers against dependence and retaliation (mechanisms/responses.py)."""

    dependence_weight: float = param(
        0.45,
        unit="1",
        ge=0,
        le=20,
        source=f"{CALIBRATED}, 90 % interval 0.15-1.09; form from Hirschman 1945 (marginal "
        "concentration cost 2*s, the derivative of the HHI)",
        description="weight of the marginal concentration cost of a deeper tie",
    )
    lock_in_weight: float = param(
        2.0,
        unit="1 per (stock/GDP)",
        ge=0,
        le=50,
        source=ASSUMPTION,
        description="weight of infrastructure stock and debt owed to the partner, per GDP",
    )
    risk_weight: float = param(
        1.0,
        unit="1",
        ge=0,
        le=20,
        source=ASSUMPTION + "; not identified: values 0-3 change the 2005-2015 trade "
        "forecasts' errors by at most 0.04 pp (scripts/check_episodes.py, coercion)",
        description="weight of expected retaliation by rivals of the partner",
    )
    coordination: float = param(
        0.0,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION + " (0: each state bargains alone, as observed up to 2010)",
        description="how far the states bargain jointly: each weighs the region's "
        "dependence on a power as well as its own",
    )
    coordination_shield: float = param(
        0.5,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="share of a power's leverage over a state that full coordination "
        "neutralises (neighbours absorb a cut-off: markets, transit)",
    )
    backlash_weight: float = param(
        0.5,
        unit="1",
        ge=0,
        le=20,
        source=ASSUMPTION + "; not identified: values 0-5 lower Russia's trade-share error "
        "in the forecasts from 2007 and 2010 and raise it in the one from 2005 "
        "(scripts/check_episodes.py, coercion)",
        description="how much past coercion by a power turns an autonomy-minded state "
        "against it (reactance)",
    )


class CoercionParams(StrictModel):
    """Powers that demand exclusivity punish ties to their rivals (mechanisms/coercion.py)."""

    rate: float = param(
        3.0,
        unit="1 per year per unit pressure",
        ge=0,
        le=50,
        source=ASSUMPTION + "; no act is recorded in the data, and values 0-10 change the "
        "2005-2015 trade forecasts' errors by at most 0.02 pp (scripts/check_episodes.py, "
        "coercion)",
        description="hazard of a coercive act per unit of pressure",
    )
    memory_decay: float = param(
        0.3,
        unit="1 per year",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="yearly fading of the memory of a coercive act",
    )
    remittance_cut: float = param(
        0.15,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="share of remittances from the coercer cut for a year (migration rules)",
    )
    market_cut: float = param(
        0.2,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="share of the target's trade with the coercer blocked for a year",
    )
    transit_cut: float = param(
        0.15,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="share of the target's trade with the coercer's rivals blocked for a year",
    )
    protection_cut: float = param(
        0.2,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="share of the coercer's security stock withdrawn",
    )


class RemittanceParams(StrictModel):
    source_gdp_elasticity: float = param(
        1.65,
        unit="1",
        ge=0,
        le=3,
        source="estimated: scripts/estimate_remittance_elasticity.py, yearly log changes of "
        "remittances received (USD) on Russia's GDP in USD, KGZ/TJK/UZB 2001-2015 pooled "
        "through the origin (se 0.26, n 34; the model has no remittance trend of its own, "
        "so the migration trend loads onto it). Episodes: 2005-08 boom 1.75-1.80, 2008-09 "
        "crisis 0.72-1.22, 2010-13 1.44-1.54, 2013-15 sanctions and the ruble's fall "
        "0.55-0.95: remittances fell less than Russia's dollar GDP in both busts",
        description="elasticity of remittances to the sending power's GDP in USD (labour "
        "demand and exchange rate)",
    )


class DriverParams(StrictModel):
    """Exogenous drivers beyond the last observed year (model/drivers.py)."""

    trend_years: int = param(
        10,
        unit="years",
        ge=2,
        le=20,
        source=ASSUMPTION,
        description="observed years whose mean growth continues a series after its end",
    )
    sanctions_growth_penalty: float = param(
        2.0,
        unit="percentage points per year per unit intensity",
        ge=0,
        le=20,
        source=ASSUMPTION,
        description="lower nominal growth of a sanctioned economy "
        "(projected years only; observed years already contain the effect)",
    )
    war_growth_penalty: float = param(
        3.0,
        unit="percentage points per year per unit diverted",
        ge=0,
        le=30,
        source=ASSUMPTION,
        description="lower growth of a power at war, for wars that begin after its last "
        "observed year",
    )
    unrest_growth_penalty: float = param(
        5.0,
        unit="percentage points per year per unit intensity",
        ge=0,
        le=50,
        source=ASSUMPTION,
        description="lower growth of a state in unrest, for unrest that begins after its "
        "last observed year",
    )
    commodity_gdp_elasticity: float = param(
        0.3,
        unit="1",
        ge=0,
        le=2,
        source=ASSUMPTION,
        description="GDP response of an exporter to a price shock of its endowment "
        "(projected years)",
    )
    commodity_shock_floor: float = param(
        0.1,
        unit="share of the projected GDP",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="least share of its projected GDP a commodity price shock leaves an "
        "exporter (keeps GDP positive under extreme price paths)",
    )
    rest_of_world_floor: float = param(
        0.1,
        unit="share of world GDP",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="least share of world GDP left to the rest of the world when the "
        "scenario's powers' GDP approaches the world's (extreme growth paths; the bundled "
        "paths stay far above it)",
    )


class MetricParams(StrictModel):
    """Weights and groupings of the autonomy metrics (docs/metrics.md)."""

    weight_diversification: float = param(
        0.3,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="weight of diversification (1 - concentration on the great powers) in "
        "the autonomy index",
    )
    weight_hedging: float = param(
        0.25,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="weight of the hedging index in the autonomy index",
    )
    weight_invulnerability: float = param(
        0.25,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="weight of 1 - vulnerability in the autonomy index",
    )
    weight_freedom: float = param(
        0.2,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="weight of 1 - coercion loss (the share of GDP coercive acts cost the "
        "state that year) in the autonomy index",
    )
    arena_weights: dict[str, float] = Field(
        default_factory=lambda: {"infra": 1 / 3, "trade": 1 / 3, "security": 1 / 3},
        description="weights of the arenas in composite shares, diversification and hedging",
        json_schema_extra={"unit": "1", "source": ASSUMPTION},
    )
    poles: dict[str, list[str]] = Field(
        default_factory=lambda: {"Russia": ["RUS"], "China": ["CHN"], "West": ["USA", "EU"]},
        description="rival poles for the hedging index; powers in no pole count toward "
        "engagement only",
        json_schema_extra={
            "unit": "power codes",
            "source": "Kuik 2016 (hedging between rival poles)",
        },
    )
    substitution: float = param(
        0.5,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="share of trade with a partner that could be re-routed after a cut-off",
    )
    sphere_threshold: float = param(
        0.4,
        unit="1",
        ge=0,
        le=1,
        source=ASSUMPTION,
        description="composite share above which a state counts in its top partner's sphere",
    )

    @field_validator("arena_weights", mode="before")
    @classmethod
    def _partial(cls, value, info):
        return complete_with_defaults(value, cls.model_fields[info.field_name].default_factory())

    @model_validator(mode="after")
    def _weights(self):
        total = (
            self.weight_diversification
            + self.weight_hedging
            + self.weight_invulnerability
            + self.weight_freedom
        )
        if abs(total - 1) > 1e-9:
            raise ValueError(f"autonomy weights must sum to 1, they sum to {total:g}")
        if set(self.arena_weights) != {"infra", "trade", "security"}:
            raise ValueError("arena_weights needs exactly infra, trade and security")
        if any(v < 0 for v in self.arena_weights.values()) or sum(self.arena_weights.values()) <= 0:
            raise ValueError("arena_weights must be >= 0 and not all 0")
        return self


class ForecastParams(StrictModel):
    """How far observations may fall from the model's forecast (polarsim hindcast): the
    replicates hold the model's own randomness only, not its structural error."""

    trade_share_error_sd_log: float = param(
        0.34,
        unit="log points per sqrt(year)",
        ge=0,
        le=3,
        source="calibrated: forecasts started in 2004-2007 from the data against the observed "
        "shares of the five powers to 2010 (scripts/estimate_forecast_error.py): 90 % of "
        "|log(observed/simulated)| / sqrt(years ahead) lie below 0.560 = 1.645 x 0.340 "
        "(the script on 2026-12-07, this project's 2-core VM); the "
        "90 % quantile grows with the square root of the horizon (0.53, 0.73, 0.98, 1.12, "
        "1.28 at 1-5 years ahead)",
        description="standard deviation of the log error of a simulated trade share, per "
        "square root of the years since the start; widens the hindcast's predictive band",
    )


class Parameters(StrictModel):
    engagement: EngagementParams = Field(default_factory=EngagementParams)
    contest: ContestParams = Field(default_factory=ContestParams)
    trade: TradeParams = Field(default_factory=TradeParams)
    security: SecurityParams = Field(default_factory=SecurityParams)
    infrastructure: InfrastructureParams = Field(default_factory=InfrastructureParams)
    responses: ResponseParams = Field(default_factory=ResponseParams)
    coercion: CoercionParams = Field(default_factory=CoercionParams)
    remittances: RemittanceParams = Field(default_factory=RemittanceParams)
    drivers: DriverParams = Field(default_factory=DriverParams)
    metrics: MetricParams = Field(default_factory=MetricParams)
    forecast: ForecastParams = Field(default_factory=ForecastParams)
