import { useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type KeyboardEvent } from 'react';
import { consoleStore, useConsole } from './store/console-store';
import { StatusPill } from './components/StatusPill';
import { OverviewTab } from './features/overview/OverviewTab';
import { PoolsTab } from './features/pools/PoolsTab';
import { PerformanceTab } from './features/performance/PerformanceTab';
import { AnalyticsTab } from './features/analytics/AnalyticsTab';
import { HealthTab } from './features/health/HealthTab';
import { HealthPill } from './components/HealthPill';
import { SignIn } from './components/SignIn';
import { useRole } from './store/auth-hooks';
import { consoleApi } from './store/sync';
import { ROLE_TEXT } from '../../shared/roles';
import { useStaleAsOf } from './components/StaleNote';
import { ConsoleGone, useLinkLostLong } from './components/ConsoleGone';
import { FaultBoundary, PartFailed } from './components/FaultBoundary';
import { shownTabs, tabBeside, tabForDigit, tabFromHash, type TabId } from './tab-nav';
import { addressChange } from './address-follow';
import { DemoBadge } from './components/DemoBadge';
import { KIOSK_STAFF_IDLE_WORDS, useExpireWhenIdle } from './kiosk/staff-idle';

const TABS: Record<TabId, { label: string; View: ComponentType }> = {
  overview: { label: 'Overview', View: OverviewTab },
  pools: { label: 'Connection Pools', View: PoolsTab },
  performance: { label: 'Performance', View: PerformanceTab },
  analytics: { label: 'Analytics', View: AnalyticsTab },
  health: { label: 'Health', View: HealthTab },
};

/** `atKiosk`: shown on a kiosk screen to staff who signed in there; signing out closes the station. */
export function App({ atKiosk = false }: { atKiosk?: boolean }) {
  // Opened on the tab the address names (`#…&tab=health`), if this PC shows it.
  const [picked, setActive] = useState<TabId>(() => tabFromHash(location.hash, shownTabs(false)));
  const tabRefs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});
  const review = useConsole((s) => s.mode.review);
  const shown = useMemo(() => shownTabs(review), [review]);
  // A tab this PC does not show (asked for by the address, or picked before it said it is a review PC): Overview, which says what the PC is for.
  const active = shown.includes(picked) ? picked : 'overview';
  const link = useConsole((s) => s.connection.state);
  const bridge = useConsole((s) => s.bridge);
  const alerts = useConsole((s) => s.alerts);
  // Gone for good (not a blip): the banners are the last the console sent, and their "keep checking members in" no
  // longer holds; the console-gone banner says what does (readme24 R6).
  const lostLong = useLinkLostLong();
  const asOf = useStaleAsOf();
  const role = useRole();
  const [signingIn, setSigningIn] = useState(false);
  const signOut = useCallback(async (idle = false): Promise<void> => {
    const r = await consoleApi().call('auth.logout', atKiosk ? { atKiosk: true, ...(idle && { idle: true as const }) } : undefined);
    if (r.ok) consoleStore.getState().setAuth(r.value);
  }, [atKiosk]);
  // At a kiosk, staff who walk away do not leave the public screen theirs (readme25 W1); it takes check-ins again.
  useExpireWhenIdle(atKiosk, useCallback(() => void signOut(true), [signOut]));

  // `&tab=…` typed onto the open page's address: that tab, at once (the browser does not load the page again).
  useEffect(() => {
    const onHash = (e: HashChangeEvent): void => {
      if (addressChange(new URL(e.oldURL).hash, location.hash) === 'tab') setActive(tabFromHash(location.hash, shownTabs(false)));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Alt+1…N jumps to the Nth tab shown, from anywhere.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      const id = e.altKey ? tabForDigit(e.key, shown) : null;
      if (id) {
        e.preventDefault();
        setActive(id);
        tabRefs.current[id]?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);

  const onTabKey = (e: KeyboardEvent): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabBeside(active, step, shown);
    setActive(next);
    tabRefs.current[next]?.focus();
  };

  // Signed in (or up to manager): the keyboard goes straight to work, not to the page body the sign-in
  // form left it on. The screen's first useful control says so (`data-first-control`: the desk's Find
  // box); a tab with none, the tab itself.
  const focusedFor = useRef(role);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (role === focusedFor.current) return;
    focusedFor.current = role;
    if (!role || role === 'kiosk') return;
    (panel.current?.querySelector<HTMLElement>('[data-first-control]') ?? tabRefs.current[active])?.focus();
  }, [role, active]);

  const { View, label } = TABS[active];
  if (!role || role === 'kiosk') {
    return (
      <div className="signin-page">
        <h1>AV Gym Console</h1>
        <ConsoleGone atKiosk={atKiosk} />
        <SignIn />
      </div>
    );
  }
  return (
    <div className="app">
      <header className="top">
        <h1>AV Gym Console</h1>
        <DemoBadge />
        {review && (
          <span className="demo-badge" data-testid="review-badge" title="This PC only opens exports (started with --review-only): it connects to no gym and runs no demo. Open exports on the Analytics tab.">
            REVIEW PC<span className="wide-only"> · no gym connected</span>
          </span>
        )}
        <span className="spacer" />
        {bridge !== 'open' && (
          <span className="pill pill-offline" role="alert" data-testid="link-lost" title={asOf ? `Figures as of ${asOf}.` : undefined}>
            {/* Each card says its own "As of", so a narrow header may drop it here. */}
            {/* Refused: no reconnecting will help; the banner below says which address to open. */}
            {bridge === 'refused' ? "This address's key is old: open the one the console printed." : 'Not connected to the console, reconnecting…'}
            {asOf && <span className="wide-only"> Figures as of {asOf}.</span>}
          </span>
        )}
        {/* A review-only console has no backend to be offline from: its badge says so. */}
        {bridge === 'open' && !review && <StatusPill state={link} />}
        {bridge === 'open' && <HealthPill onOpen={() => setActive('health')} />}
        <span className="who-am-i">
          {ROLE_TEXT[role]}
          {role !== 'manager' && (
            <button type="button" className="link" onClick={() => setSigningIn(true)}>
              Manager sign-in
            </button>
          )}
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      {atKiosk && (
        <p className="kiosk-staff-idle" data-testid="kiosk-staff-idle">
          {KIOSK_STAFF_IDLE_WORDS}
        </p>
      )}
      {signingIn && (
        <div className="overlay">
          <SignIn roles={['manager']} onDone={() => setSigningIn(false)} />
          <button type="button" onClick={() => setSigningIn(false)}>
            Cancel
          </button>
        </div>
      )}
      <ConsoleGone desk={!review} atKiosk={atKiosk} />
      {alerts.length > 0 && !lostLong && (
        <div className="alerts" role="alert">
          {alerts.map((a) => (
            <p key={a.text + (a.detail ?? '')}>
              {a.detail ? <strong>{a.text}</strong> : a.text}
              {a.detail && <span className="alert-detail">{a.detail}</span>}
            </p>
          ))}
        </div>
      )}
      <nav className="tabs" role="tablist" aria-label="Console sections" onKeyDown={onTabKey}>
        {shown.map((id, i) => (
          <button
            key={id}
            ref={(el) => void (tabRefs.current[id] = el)}
            role="tab"
            id={`tab-${id}`}
            aria-selected={id === active}
            aria-controls={`panel-${id}`}
            tabIndex={id === active ? 0 : -1}
            onClick={() => setActive(id)}
            title={`Alt+${i + 1}`}
          >
            {TABS[id].label}
          </button>
        ))}
      </nav>
      <main ref={panel} role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`}>
        {/* A tab that fails to draw says so in its place; the header, tabs and other tabs keep working. */}
        <FaultBoundary key={active} where={`${label} tab`} fallback={(retry) => <PartFailed what={`The ${label} tab`} retry={retry} />}>
          <View />
        </FaultBoundary>
      </main>
    </div>
  );
}
