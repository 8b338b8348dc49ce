//! `--external`: ask each external address whether it is still there. A plain blocking HTTP
//! client (ureq), a few requests at a time, each with a time limit. A failure is a finding, never
//! a crash: no network is just a list of warnings.

use std::time::Duration;

use rayon::prelude::*;

/// The result of fetching one address: `Ok(status)` or `Err(what went wrong)`.
pub type Outcome = Result<u16, String>;

const PARALLEL: usize = 8;
const TIMEOUT: Duration = Duration::from_secs(15);

pub fn fetch_all(urls: &[String]) -> Vec<Outcome> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .user_agent(concat!("tryloyw-check/", env!("CARGO_PKG_VERSION")))
        .http_status_as_error(false)
        .build()
        .into();
    let fetch = |url: &String| fetch(&agent, url);
    match rayon::ThreadPoolBuilder::new()
        .num_threads(PARALLEL)
        .build()
    {
        Ok(pool) => pool.install(|| urls.par_iter().map(fetch).collect()),
        Err(_) => urls.iter().map(fetch).collect(),
    }
}

fn fetch(agent: &ureq::Agent, url: &str) -> Outcome {
    // HEAD first; some servers refuse it, so fall back to GET (without reading the body).
    let status = match agent.head(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(e) => return Err(e.to_string()),
    };
    if matches!(status, 403 | 405 | 501) {
        return agent
            .get(url)
            .call()
            .map(|r| r.status().as_u16())
            .map_err(|e| e.to_string());
    }
    Ok(status)
}
