// The shell: sign-in, navigation by role, hash routes (#/owner?region=…&item=…), page mounting.
import { Alert, Button, Form, Input, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, clearToken, errorMessage, getToken, onUnauthenticated, setToken } from './lib/api';
import { USER_ROLE_ZH } from './lib/labels';
import { PageDef } from './lib/pages';
import { currentRoute, hashLink, setParams } from './lib/route';
import { Session, SessionContext, canFor, useSession } from './lib/session';
import { PAGES } from './pages';

const APP = '权责清单登记簿';

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [booting, setBooting] = useState(true);
  const [expired, setExpired] = useState<string | undefined>();
  const [hash, setHash] = useState(() => location.hash);
  const [nav, setNav] = useState(0); // bumps on every navigation: the page re-mounts with the new params

  useEffect(() => {
    const on = () => {
      setHash(location.hash);
      setNav((n) => n + 1);
    };
    window.addEventListener('hashchange', on);
    const off = onUnauthenticated(() => {
      clearToken();
      setSession((s) => {
        if (s) setExpired('访问令牌已失效，请重新登录。');
        return null;
      });
    });
    (async () => {
      const token = getToken();
      if (token) {
        try {
          setSession(await api<Session>('/api/session', { token }));
        } catch {
          clearToken();
        }
      }
      setBooting(false);
    })();
    return () => {
      window.removeEventListener('hashchange', on);
      off();
    };
  }, []);

  useEffect(() => {
    if (!booting) document.documentElement.dataset.ready = 'true';
  }, [booting]);

  const signedIn = (s: Session, token: string) => {
    setToken(token);
    setExpired(undefined);
    setSession(s);
    if (!location.hash || location.hash === '#/' || location.hash === '#') history.replaceState(null, '', '#/owner');
    setHash(location.hash);
    setNav((n) => n + 1);
  };
  const signOut = () => {
    clearToken();
    setSession(null);
  };

  const { route, params } = currentRoute(hash);
  const page = PAGES.find((p) => p.route === route);
  const can = useMemo(() => canFor(session), [session]);

  return (
    <Layout className="shell">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>跳到正文</a>
      <Layout.Header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true">权</span>
          <span>{APP}</span>
        </div>
        <nav id="nav" aria-label="主导航" className="nav">
          {session ? (
            <Menu
              mode="horizontal"
              theme="dark"
              selectedKeys={page ? [page.route] : []}
              items={PAGES.filter((p) => can(p.minRole)).map((p) => ({
                key: p.route,
                label: (
                  <a href={hashLink(p.route)} aria-current={p.route === route ? 'page' : undefined}>
                    {p.title}
                  </a>
                ),
              }))}
            />
          ) : null}
        </nav>
        <div className="who" aria-label="当前用户">
          {session ? (
            <Space size="small">
              <span className="who-name">{session.name}</span>
              <Tag color={session.role === 'reader' ? 'default' : session.role === 'reviewer' ? 'purple' : 'blue'} className={`role role-${session.role}`}>
                {USER_ROLE_ZH[session.role] ?? session.role}
              </Tag>
              <Button type="link" size="small" onClick={signOut} className="sign-out">
                退出
              </Button>
            </Space>
          ) : null}
        </div>
      </Layout.Header>
      <Layout.Content>
        <main id="main" tabIndex={-1}>
          {booting ? (
            <Spin description="载入中…" />
          ) : !session ? (
            <SignIn message={expired} onSignedIn={signedIn} />
          ) : (
            <SessionContext.Provider value={{ session, can }}>
              <PageHost key={nav} page={page} params={params} />
            </SessionContext.Provider>
          )}
        </main>
      </Layout.Content>
      <Layout.Footer className="foot">
        <Health />
        <span>事件溯源 · 双时态：生效日期（法律效力）与登记时刻（何时得知）</span>
      </Layout.Footer>
    </Layout>
  );
}

function PageHost({ page, params }: { page: PageDef | undefined; params: Record<string, string> }) {
  const { session, can } = useSession();
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${page ? page.title : '未找到'} · ${APP}`;
    title.current?.focus({ preventScroll: true });
  }, [page]);
  const record = useCallback((p: Record<string, string | number | undefined | null>) => page && setParams(page.route, p), [page]);
  if (!page) {
    return (
      <section className="page">
        <h1 id="page-title" tabIndex={-1} ref={title}>未找到该页面</h1>
        <p>
          <a href="#/owner">回到“谁负责”</a>
        </p>
      </section>
    );
  }
  return (
    <section className={`page page-${page.route}`} aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} ref={title}>
        {page.title}
      </h1>
      {!can(page.minRole) ? (
        <Alert
          type="error"
          showIcon
          className="notice-error"
          title="无权限"
          description={
            <>
              “{page.title}”需要{USER_ROLE_ZH[page.minRole]}（{page.minRole}）或更高角色，当前令牌为{USER_ROLE_ZH[session.role]}（{session.role}）。
              {page.minRole === 'editor' ? '如需录入，请向编办管理员申请录入权限的令牌。' : ''}
            </>
          }
        />
      ) : (
        <Suspense fallback={<Spin description="载入中…" />}>
          <page.Component params={params} setParams={record} />
        </Suspense>
      )}
    </section>
  );
}


function SignIn({ message, onSignedIn }: { message?: string; onSignedIn(s: Session, token: string): void }) {
  const [form] = Form.useForm<{ token: string }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `登录 · ${APP}`;
  }, []);
  const submit = async ({ token }: { token: string }) => {
    const t = (token ?? '').trim();
    setBusy(true);
    try {
      const s = await api<Session>('/api/session', { token: t });
      onSignedIn(s, t);
    } catch (err) {
      form.setFields([{ name: 'token', errors: [err instanceof ApiError && err.status === 401 ? '令牌无效，请核对后重试' : errorMessage(err)] }]);
      form.getFieldInstance('token')?.focus?.();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="signin-wrap">
      <Form form={form} layout="vertical" className="card signin" onFinish={submit} requiredMark={false}>
        <h1 id="page-title" tabIndex={-1}>
          登录
        </h1>
        <Typography.Paragraph type="secondary">行政区划权责清单与“三定”规定的登记、查询与核查。</Typography.Paragraph>
        {message ? <Alert type="warning" showIcon title={message} style={{ marginBottom: 16 }} /> : null}
        <Form.Item
          label="访问令牌"
          name="token"
          data-field="token"
          rules={[{ required: true, whitespace: true, message: '请输入访问令牌' }]}
          extra="令牌由编办管理员发放；首次启动服务时生成在“数据目录/tokens.json”中。令牌只保存在本浏览器标签页内，关闭即失效。"
        >
          <Input.Password autoFocus autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          登录
        </Button>
      </Form>
    </div>
  );
}

function Health() {
  const [text, setText] = useState('');
  useEffect(() => {
    fetch('/api/health')
      .then((x) => x.json())
      .then(
        (r) => setText(`事件库：${r.store?.kind} · 事件 ${r.store?.events} 条 · 读模型${r.status === 'ok' ? '已同步' : '追赶中'}`),
        () => setText('服务器状态未知'),
      );
  }, []);
  return <span id="health">{text}</span>;
}

